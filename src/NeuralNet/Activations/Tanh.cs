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

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => TensorPrimitives.Tanh(z, a);

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = da[i] * (T.One - (a[i] * a[i]));
        }
    }

    /// <summary>Saturated when every sample's output is beyond ±0.99, where <c>tanh'</c> is below 0.02.</summary>
    /// <inheritdoc/>
    protected internal override UnitState InspectUnit<T>(ReadOnlySpan<T> outputs)
    {
        T bound = T.CreateChecked(0.99);
        foreach (T a in outputs)
        {
            if (T.Abs(a) <= bound)
            {
                return UnitState.Active;
            }
        }

        return UnitState.Saturated;
    }
}
