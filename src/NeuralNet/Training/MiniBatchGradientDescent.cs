using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Mini-batch gradient descent (MBGD): one update per batch of <see cref="Size"/> samples, reshuffled every
/// epoch. When the sample count is not a multiple of the size, the last batch of each epoch is smaller;
/// it is still used, never dropped.
/// </summary>
public sealed class MiniBatchGradientDescent : GradientDescent
{
    /// <summary>Creates the descent with batches of <paramref name="size"/> samples.</summary>
    /// <param name="size">
    /// The batch size, positive. A size of the sample count or more means one batch of all samples, taken in their
    /// order: its gradient is the same in any order, so it is neither shuffled nor copied (as batch descent).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    public MiniBatchGradientDescent(int size = 32)
    {
        Guard.Positive(size, nameof(size));
        Size = size;
    }

    /// <summary>The number of samples per batch.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override string Name => "mbgd";

    private protected override int BatchSizeCore(int sampleCount) => Math.Min(Size, sampleCount);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}({Size})";
}
