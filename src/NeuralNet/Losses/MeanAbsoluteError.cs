using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// The mean absolute error over every output of every sample: <c>L = (1/(m·k)) Σ_i Σ_j |z_ij − y_ij|</c> for m samples
/// and k outputs, with gradient <c>sign(z − y)/(m·k)</c>, 0 where the output equals its target.
/// </summary>
/// <remarks>
/// PyTorch's <c>nn.L1Loss()</c> with its default mean reduction, and Keras' <c>MeanAbsoluteError</c>, so a learning
/// rate carries over from either. Its minimiser is the median rather than the mean, so outliers weigh no more than any
/// other sample; the gradient's size does not shrink near the optimum, so a decaying learning rate helps it settle.
/// </remarks>
public sealed class MeanAbsoluteError : Loss
{
    internal MeanAbsoluteError()
    {
    }

    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            sum += T.Abs(output[k] - target[k]);
        }

        return sum / T.CreateChecked(output.Length);
    }

    /// <inheritdoc/>
    protected internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        T inverseCount = T.One / T.CreateChecked(output.Length);
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T d = output[k] - target[k];
            sum += T.Abs(d);
            gradient[k] = d > T.Zero ? inverseCount : d < T.Zero ? -inverseCount : T.Zero;
        }

        return sum / T.CreateChecked(output.Length);
    }
}
