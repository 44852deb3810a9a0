using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// The scaled exponential linear unit: <c>λ·z</c> for <c>z &gt; 0</c>, <c>λ·α·(e^z − 1)</c> otherwise, with
/// derivative <c>λ</c> or <c>λ·α·e^z</c>, where <c>α ≈ 1.6733</c> and <c>λ ≈ 1.0507</c> are PyTorch's
/// <c>nn.SELU</c> constants (Klambauer et al., 2017).
/// </summary>
/// <remarks>
/// With weights drawn from LeCun normal (its default initialiser) and standardised inputs, the two constants keep
/// each layer's activations near mean 0 and variance 1, so deep stacks of dense layers train without normalisation
/// layers. The constants are fixed; that is what makes the unit self-normalising.
/// </remarks>
public sealed class Selu : Activation
{
    /// <summary>α, PyTorch's <c>1.6732632423543772848170429916717</c>.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <summary>λ, PyTorch's <c>1.0507009873554804934193349852946</c>.</summary>
    public const double Scale = 1.0507009873554804934193349852946;

    internal Selu()
    {
    }

    /// <summary>LeCun normal, <c>N(0, 1/fanIn)</c>: the variance SELU's fixed point assumes.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.LecunNormal;

    /// <inheritdoc/>
    public override string Name => "selu";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        T scale = T.CreateChecked(Scale);
        T scaledAlpha = T.CreateChecked(Scale * Alpha);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = z[i] > T.Zero ? scale * z[i] : scaledAlpha * Elementary.ExpM1(z[i]);
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        T scale = T.CreateChecked(Scale);
        T scaledAlpha = T.CreateChecked(Scale * Alpha);
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] * scale : da[i] * scaledAlpha * T.Exp(z[i]);
        }
    }
}
