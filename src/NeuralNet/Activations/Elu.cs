using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// The exponential linear unit: <c>z</c> for <c>z &gt; 0</c>, <c>α·(e^z − 1)</c> otherwise, with derivative 1 for
/// <c>z &gt; 0</c> and <c>α·e^z</c> otherwise (PyTorch's <c>nn.ELU(alpha)</c>).
/// </summary>
/// <remarks>
/// Negative inputs saturate smoothly at <c>−α</c> instead of being cut to 0, so mean activations stay nearer zero
/// and no unit dies. <c>e^z − 1</c> is computed without cancellation, so small negative inputs keep full precision.
/// </remarks>
public sealed class Elu : Activation
{
    /// <summary>Creates an ELU with the given saturation value.</summary>
    /// <param name="alpha">α, the value <c>−α</c> negative inputs saturate at: a positive finite number. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not positive and finite.</exception>
    public Elu(double alpha = 1.0)
    {
        Guard.PositiveFinite(alpha, nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>α: negative inputs approach <c>−α</c>.</summary>
    public double Alpha { get; }

    /// <summary>He uniform: like ReLU, ELU passes positive inputs unchanged and squeezes negative ones.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "elu";

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("alpha", Alpha);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({Alpha})");

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = z[i] > T.Zero ? z[i] : alpha * Elementary.ExpM1(z[i]);
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : da[i] * alpha * T.Exp(z[i]);
        }
    }
}
