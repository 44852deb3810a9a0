namespace NeuralNet.Training;

/// <summary>
/// Which samples feed one update: all of them (<see cref="BatchGradientDescent"/>), one drawn at random
/// (<see cref="StochasticGradientDescent"/>) or a batch of a chosen size (<see cref="MiniBatchGradientDescent"/>).
/// </summary>
/// <remarks>
/// The three differ only in batch size; how each update moves the parameters is the separate
/// <see cref="UpdateRules.UpdateRule"/>, so any descent combines with any rule. Instances are immutable.
/// </remarks>
public abstract class GradientDescent
{
    private protected GradientDescent()
    {
    }

    /// <summary>A short stable identifier: <c>bgd</c>, <c>sgd</c> or <c>mbgd</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The number of samples in each update for a training set of <paramref name="sampleCount"/> samples.</summary>
    /// <param name="sampleCount">The number of training samples, positive.</param>
    /// <returns>A batch size in [1, <paramref name="sampleCount"/>].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> is not positive.</exception>
    public int BatchSize(int sampleCount)
    {
        Internal.Guard.Positive(sampleCount, nameof(sampleCount));
        return BatchSizeCore(sampleCount);
    }

    /// <summary>The batch size for a positive sample count.</summary>
    private protected abstract int BatchSizeCore(int sampleCount);

    /// <summary>
    /// Whether samples are reshuffled every epoch. Batch descent sums over every sample whatever the order,
    /// so it does not shuffle.
    /// </summary>
    public virtual bool Shuffles => true;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
