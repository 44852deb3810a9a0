using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Losses;

/// <summary>
/// The Huber loss, averaged over every output of every sample: with <c>d = z − y</c>,
/// <c>L = (1/(m·k)) Σ_i Σ_j h(d_ij)</c> where <c>h(d) = ½d²</c> for <c>|d| &lt; δ</c> and <c>δ·(|d| − ½δ)</c>
/// otherwise, for m samples and k outputs; gradient <c>d/(m·k)</c> inside, <c>δ·sign(d)/(m·k)</c> outside.
/// </summary>
/// <remarks>
/// Quadratic near the target and linear beyond δ, so a few outliers pull on the fit with a bounded force instead of
/// dominating it as they do under squared error. This is PyTorch's <c>nn.HuberLoss(delta=δ)</c> with its default mean
/// reduction (the same as Keras' <c>Huber</c>); it differs from <c>SmoothL1Loss(beta)</c> by the factor δ. Targets are
/// values, so predictions are scored by R², and the last layer is usually linear.
/// </remarks>
public sealed class Huber : Loss
{
    /// <summary>Creates the loss with threshold <paramref name="delta"/>.</summary>
    /// <param name="delta">δ, where the loss turns from quadratic to linear: a positive finite number. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public Huber(double delta = 1.0)
    {
        Guard.PositiveFinite(delta, nameof(delta));
        Delta = delta;
    }

    /// <summary>δ, where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public override string Name => "huber";

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("delta", Delta);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({Delta})");

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T delta = T.CreateChecked(Delta);
        T half = T.CreateChecked(0.5);
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T d = T.Abs(output[k] - target[k]);
            sum += d < delta ? half * d * d : delta * (d - (half * delta));
        }

        return sum / T.CreateChecked(output.Length);
    }

    /// <inheritdoc/>
    protected internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        T delta = T.CreateChecked(Delta);
        T half = T.CreateChecked(0.5);
        T inverseCount = T.One / T.CreateChecked(output.Length);
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T d = output[k] - target[k];
            T size = T.Abs(d);
            if (size < delta)
            {
                sum += half * d * d;
                gradient[k] = d * inverseCount;
            }
            else
            {
                sum += delta * (size - (half * delta));
                gradient[k] = T.CopySign(delta, d) * inverseCount;
            }
        }

        return sum / T.CreateChecked(output.Length);
    }
}
