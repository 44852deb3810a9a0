using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// The softplus <c>g(z) = log(1 + e^z)</c>, a smooth ReLU, with derivative <c>σ(z)</c>; for <c>z &gt; 20</c> it is
/// <c>z</c> itself, with derivative 1 (PyTorch's <c>nn.Softplus()</c>: beta 1, threshold 20).
/// </summary>
/// <remarks>
/// Above the threshold <c>log(1 + e^z)</c> and z differ by less than <c>e^−20 ≈ 2·10⁻⁹</c>, relatively less than
/// 1e-10, which float cannot tell apart; the linear branch also keeps <c>e^z</c> from overflowing. ONNX's
/// <c>Softplus</c> has no threshold, so it gives <c>log(1 + e^z)</c> there, the same to that 1e-10.
/// </remarks>
public sealed class Softplus : Activation
{
    /// <summary>Above this input softplus is the identity, as in PyTorch.</summary>
    public const double Threshold = 20;

    internal Softplus()
    {
    }

    /// <summary>He uniform: softplus is a smoothed ReLU.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        T threshold = T.CreateChecked(Threshold);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = z[i] > threshold ? z[i] : Elementary.Log1P(T.Exp(z[i]));
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        T threshold = T.CreateChecked(Threshold);
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = z[i] > threshold ? da[i] : da[i] / (T.One + T.Exp(-z[i]));
        }
    }
}
