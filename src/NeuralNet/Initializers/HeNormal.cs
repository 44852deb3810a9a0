using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>He normal: N(0, σ²) with <c>σ = √(2 / fanIn)</c>.</summary>
public sealed class HeNormal : Initializer
{
    internal HeNormal()
    {
    }

    /// <inheritdoc/>
    public override string Name => "he_normal";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillNormal(values, Math.Sqrt(2.0 / fanIn), random);
}
