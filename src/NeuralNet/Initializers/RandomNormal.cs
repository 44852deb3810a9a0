using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Initializers;

/// <summary>N(0, σ²) with a fixed σ; with σ = 0.01 this is the article's <c>randn · 0.01</c>.</summary>
/// <remarks>
/// A fixed small σ shrinks the signal layer by layer in deep networks; Glorot and He scale σ by the fan-in
/// to avoid that. It is here because the article uses it, and it trains shallow networks well.
/// </remarks>
public sealed class RandomNormal : Initializer
{
    /// <summary>Creates the initialiser with standard deviation <paramref name="standardDeviation"/>.</summary>
    /// <param name="standardDeviation">σ, a positive finite number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="standardDeviation"/> is not positive and finite.</exception>
    public RandomNormal(double standardDeviation = 0.01)
    {
        Guard.PositiveFinite(standardDeviation, nameof(standardDeviation));
        StandardDeviation = standardDeviation;
    }

    /// <summary>σ, the standard deviation.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    public override string Name => "random_normal";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillNormal(values, StandardDeviation, random);

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("standard_deviation", StandardDeviation);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({StandardDeviation})");
}
