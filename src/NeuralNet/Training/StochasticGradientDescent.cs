namespace NeuralNet.Training;

/// <summary>
/// Stochastic gradient descent (SGD): one update per sample, each drawn at random. Every epoch visits
/// the samples in a fresh random order (sampling without replacement), so each sample is used once per epoch.
/// Steps are cheap and noisy; the path wanders but descends overall.
/// </summary>
public sealed class StochasticGradientDescent : GradientDescent
{
    /// <inheritdoc/>
    public override string Name => "sgd";

    private protected override int BatchSizeCore(int sampleCount) => 1;
}
