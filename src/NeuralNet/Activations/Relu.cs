using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>The rectified linear unit <c>max(0, z)</c>, with derivative 1 for <c>z &gt; 0</c> and 0 otherwise.</summary>
public sealed class Relu : Activation
{
    internal Relu()
    {
    }

    /// <summary>He uniform: ReLU zeroes about half its inputs, so the weights' variance is doubled to make up for it.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "relu";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => TensorPrimitives.Max(z, T.Zero, a);

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        // Vectorised as a select: the sign of z is random, and a branch per element mispredicts half the time.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= dz.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> positive = Vector.GreaterThan(new Vector<T>(z[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(da[i..]), Vector<T>.Zero).CopyTo(dz[i..]);
            }
        }

        for (; i < dz.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : T.Zero;
        }
    }

    /// <summary>Dead when no sample gave a positive input: <c>max(0, z)</c> then passes no gradient back.</summary>
    /// <inheritdoc/>
    protected internal override UnitState InspectUnit<T>(ReadOnlySpan<T> outputs)
    {
        foreach (T a in outputs)
        {
            if (a > T.Zero)
            {
                return UnitState.Active;
            }
        }

        return UnitState.Dead;
    }
}
