using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// The leaky ReLU: <c>z</c> for <c>z &gt; 0</c>, <c>slope·z</c> otherwise, with derivative 1 or <c>slope</c>.
/// A small negative slope keeps units that would be "dead" under plain ReLU learning.
/// </summary>
public sealed class LeakyRelu : Activation
{
    /// <summary>Creates a leaky ReLU with the given negative slope.</summary>
    /// <param name="slope">The slope for negative inputs, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slope"/> is outside [0, 1).</exception>
    public LeakyRelu(double slope = 0.01)
    {
        Guard.InRange(slope, 0, 1, nameof(slope));
        Slope = slope;
    }

    /// <summary>The slope applied to negative inputs.</summary>
    public double Slope { get; }

    /// <summary>He uniform: ReLU zeroes about half its inputs, so the weights' variance is doubled to make up for it.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "leaky_relu";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = z[i] > T.Zero ? z[i] : slope * z[i];
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : slope * da[i];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({Slope})");

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("slope", Slope);

    /// <summary>
    /// Dead only with a slope of 0 and no positive input: any other slope passes <c>slope·da</c> back for negative
    /// inputs, so the unit keeps learning.
    /// </summary>
    /// <inheritdoc/>
    protected internal override UnitState InspectUnit<T>(ReadOnlySpan<T> outputs)
    {
        if (Slope > 0)
        {
            return UnitState.Active;
        }

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
