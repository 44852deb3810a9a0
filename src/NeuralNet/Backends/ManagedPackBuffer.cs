using System.Numerics;

namespace NeuralNet.Backends;

/// <summary>
/// Each thread's packing buffer for <see cref="ManagedGemm"/>: rented once per thread (the pool's workers live as
/// long as the process) and grown only when a larger block is asked for, so products allocate nothing once warm.
/// </summary>
internal static class ManagedPackBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static T[]? _buffer;

    /// <summary>This thread's buffer, holding at least <paramref name="length"/> elements.</summary>
    public static T[] Get(int length)
    {
        T[]? buffer = _buffer;
        if (buffer is null || buffer.Length < length)
        {
            // Grow to the next power of two so that a sequence of slightly larger blocks does not reallocate each time.
            buffer = _buffer = GC.AllocateUninitializedArray<T>((int)Math.Min(Array.MaxLength, BitOperations.RoundUpToPowerOf2((uint)length)));
        }

        return buffer;
    }
}
