using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>The logistic function <c>σ(z) = 1 / (1 + e^-z)</c>, with <c>σ'(z) = σ(z)(1 − σ(z))</c>.</summary>
/// <remarks>Finite for every finite input: <c>e^-z</c> overflowing to infinity gives exactly 0, never NaN.</remarks>
public sealed class Sigmoid : Activation
{
    internal Sigmoid()
    {
    }

    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => TensorPrimitives.Sigmoid(z, a);

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = da[i] * a[i] * (T.One - a[i]);
        }
    }

    /// <summary>Saturated when every sample's output is below 0.01 or above 0.99, where <c>σ'</c> is below 0.0099.</summary>
    /// <inheritdoc/>
    protected internal override UnitState InspectUnit<T>(ReadOnlySpan<T> outputs)
    {
        T low = T.CreateChecked(0.01);
        T high = T.CreateChecked(0.99);
        foreach (T a in outputs)
        {
            if (a >= low && a <= high)
            {
                return UnitState.Active;
            }
        }

        return UnitState.Saturated;
    }
}
