using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>The hyperbolic tangent, with <c>tanh'(z) = 1 − tanh²(z)</c>.</summary>
public sealed class Tanh : Activation
{
    internal Tanh()
    {
    }

    /// <inheritdoc/>
    public override string Name => "tanh";

    internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => TensorPrimitives.Tanh(z, a);

    internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = da[i] * (T.One - (a[i] * a[i]));
        }
    }
}
