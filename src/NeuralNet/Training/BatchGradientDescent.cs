namespace NeuralNet.Training;

/// <summary>
/// Batch gradient descent (BGD): one update per epoch, from the gradient over every training sample.
/// Each step heads straight down the true gradient but costs a full pass over the data.
/// </summary>
public sealed class BatchGradientDescent : GradientDescent
{
    /// <inheritdoc/>
    public override string Name => "bgd";

    private protected override int BatchSizeCore(int sampleCount) => sampleCount;

    /// <inheritdoc/>
    public override bool Shuffles => false;
}
