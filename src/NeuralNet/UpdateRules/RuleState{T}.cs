using System.Numerics;

namespace NeuralNet.UpdateRules;

/// <summary>
/// The state an update rule keeps for one parameter: buffers as long as the parameter (velocity, moment
/// estimates) and a step count. One shape for every rule, so checkpoints store any rule's state the same way.
/// </summary>
internal sealed class RuleState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public RuleState(int bufferCount, int length)
    {
        Buffers = new T[bufferCount][];
        for (int b = 0; b < bufferCount; b++)
        {
            Buffers[b] = new T[length];
        }
    }

    private RuleState(T[][] buffers) => Buffers = buffers;

    public T[][] Buffers { get; }

    public long Step { get; set; }

    public static RuleState<T> From(T[][] buffers, long step) => new(buffers) { Step = step };
}
