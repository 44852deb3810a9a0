using System.Numerics;

namespace NeuralNet.UpdateRules;

/// <summary>
/// What an update rule keeps for one parameter between steps: a step count and buffers as long as the parameter
/// (velocity, moment estimates). One shape for every rule, so checkpoints save any rule's state the same way.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParameterState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _buffers;

    internal ParameterState(int bufferCount, int length)
    {
        _buffers = new T[bufferCount][];
        for (int b = 0; b < bufferCount; b++)
        {
            _buffers[b] = new T[length];
        }
    }

    /// <summary>State read from a checkpoint.</summary>
    internal ParameterState(T[][] buffers, long step)
    {
        _buffers = buffers;
        Step = step;
    }

    /// <summary>The number of steps taken so far; the rule advances it.</summary>
    public long Step { get; set; }

    /// <summary>The number of buffers.</summary>
    public int BufferCount => _buffers.Length;

    /// <summary>The buffers, for checkpoints.</summary>
    internal T[][] Buffers => _buffers;

    /// <summary>Takes over <paramref name="other"/>'s step count and buffer values (restoring a checkpoint).</summary>
    internal void CopyFrom(ParameterState<T> other)
    {
        if (other._buffers.Length != _buffers.Length)
        {
            throw new ArgumentException($"Expected state with {_buffers.Length} buffers, but got {other._buffers.Length}.", nameof(other));
        }

        for (int b = 0; b < _buffers.Length; b++)
        {
            other._buffers[b].AsSpan().CopyTo(_buffers[b]);
        }

        Step = other.Step;
    }

    /// <summary>The buffer at <paramref name="index"/>, as long as the parameter, zero before the first step.</summary>
    /// <param name="index">From 0 to <see cref="BufferCount"/> − 1.</param>
    /// <returns>The buffer's values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public Span<T> Buffer(int index)
    {
        if ((uint)index >= (uint)_buffers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The state has {_buffers.Length} buffers, but buffer {index} was asked for.");
        }

        return _buffers[index];
    }
}
