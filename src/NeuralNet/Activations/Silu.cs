using System.Numerics;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>
/// The sigmoid linear unit, or swish: <c>g(z) = z·σ(z)</c>, with derivative <c>σ(z)·(1 + z·(1 − σ(z)))</c>
/// (PyTorch's <c>nn.SiLU</c>).
/// </summary>
/// <remarks>Finite for every finite input: σ never overflows, and <c>z·σ(z)</c> tends to 0 below and to z above.</remarks>
public sealed class Silu : Activation
{
    internal Silu()
    {
    }

    /// <summary>He uniform: SiLU is a smoothed ReLU.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "silu";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        // Element by element, as PyTorch computes it: a layer computes in place, so a[i] may be z[i].
        for (int i = 0; i < a.Length; i++)
        {
            T x = z[i];
            a[i] = x / (T.One + T.Exp(-x));
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            T s = T.One / (T.One + T.Exp(-z[i]));
            dz[i] = da[i] * s * (T.One + (z[i] * (T.One - s)));
        }
    }
}
