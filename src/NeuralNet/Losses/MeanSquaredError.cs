using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// The article's quadratic cost: <c>L = (1/m) Σ_i ½ Σ_j (z_ij − y_ij)²</c>, with gradient <c>(Z − Y)/m</c>.
/// </summary>
/// <remarks>
/// The ½ makes the gradient the plain residual. The sum runs over a sample's outputs and the mean over
/// samples, so with one output this is half the familiar mean squared error. PyTorch's <c>MSELoss</c> and Keras'
/// <c>MeanSquaredError</c> average over all m·k values without the ½, which is <c>2L/k</c> for k outputs: their
/// gradient is <c>2/k</c> times this one, so a learning rate η here takes the step that <c>η·k/2</c> takes there.
/// </remarks>
public sealed class MeanSquaredError : Loss
{
    internal MeanSquaredError()
    {
    }

    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T d = output[k] - target[k];
            sum += d * d;
        }

        return sum / T.CreateChecked(2 * rows);
    }

    /// <inheritdoc/>
    protected internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        T inverseRows = T.One / T.CreateChecked(rows);
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T d = output[k] - target[k];
            sum += d * d;
            gradient[k] = d * inverseRows;
        }

        return sum / T.CreateChecked(2 * rows);
    }
}
