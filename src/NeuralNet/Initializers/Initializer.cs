using System.Numerics;
using NeuralNet.Components;

namespace NeuralNet.Initializers;

/// <summary>
/// How a layer's parameters get their starting values, from the layer's fan-in (inputs) and fan-out
/// (outputs).
/// </summary>
/// <remarks>
/// Dense layers default to <see cref="HeUniform"/> with ReLU-family activations and <see cref="GlorotUniform"/>
/// otherwise, with <see cref="Zeros"/> for biases. Instances are immutable and thread-safe. To add one, derive from
/// this class and register it in <see cref="Components.ComponentRegistry.Initializers"/> under its <see cref="Name"/>.
/// </remarks>
public abstract class Initializer
{
    /// <summary>Creates the initialiser; derived classes hold only immutable hyper-parameters.</summary>
    protected Initializer()
    {
    }

    /// <summary>All zeros: the usual bias initialiser. Weights must not start all equal, or units never differ.</summary>
    public static Zeros Zeros { get; } = new();

    /// <summary>Glorot/Xavier uniform: U(−l, l) with <c>l = √(6 / (fanIn + fanOut))</c>.</summary>
    public static GlorotUniform GlorotUniform { get; } = new();

    /// <summary>Glorot/Xavier normal: N(0, σ²) with <c>σ = √(2 / (fanIn + fanOut))</c>.</summary>
    public static GlorotNormal GlorotNormal { get; } = new();

    /// <summary>He uniform: U(−l, l) with <c>l = √(6 / fanIn)</c>; suited to ReLU.</summary>
    public static HeUniform HeUniform { get; } = new();

    /// <summary>He normal: N(0, σ²) with <c>σ = √(2 / fanIn)</c>; suited to ReLU.</summary>
    public static HeNormal HeNormal { get; } = new();

    /// <summary>LeCun normal: N(0, σ²) with <c>σ = √(1 / fanIn)</c>; suited to SELU.</summary>
    public static LecunNormal LecunNormal { get; } = new();

    /// <summary>The article's <c>randn · 0.01</c>: N(0, σ²) with a fixed <paramref name="standardDeviation"/>.</summary>
    /// <param name="standardDeviation">σ, a positive finite number; the article uses 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="standardDeviation"/> is not positive and finite.</exception>
    public static RandomNormal RandomNormal(double standardDeviation = 0.01) => new(standardDeviation);

    /// <summary>The stable name it is registered under, such as <c>he_uniform</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The hyper-parameters the registered factory needs to rebuild this initialiser; empty when it has none.</summary>
    /// <returns>A new configuration.</returns>
    public virtual ComponentConfig GetConfig() => new();

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Fills <paramref name="values"/> for a parameter of a layer with the given fan-in and fan-out.</summary>
    /// <param name="values">The parameter's values, column by column.</param>
    /// <param name="fanIn">The number of inputs of a unit the parameter feeds.</param>
    /// <param name="fanOut">The number of units.</param>
    /// <param name="random">The generator to draw from; the same state gives the same values.</param>
    protected internal abstract void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Fills <paramref name="values"/> with draws from U(−limit, limit).</summary>
    /// <param name="values">The values to fill.</param>
    /// <param name="limit">The half-width of the interval.</param>
    /// <param name="random">The generator.</param>
    protected static void FillUniform<T>(Span<T> values, double limit, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2.0 * random.NextDouble()) - 1.0) * limit);
        }
    }

    /// <summary>Fills <paramref name="values"/> with draws from N(0, σ²).</summary>
    /// <param name="values">The values to fill.</param>
    /// <param name="standardDeviation">σ.</param>
    /// <param name="random">The generator.</param>
    protected static void FillNormal<T>(Span<T> values, double standardDeviation, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.NextGaussian() * standardDeviation);
        }
    }
}
