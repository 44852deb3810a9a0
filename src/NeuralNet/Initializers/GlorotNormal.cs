using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Glorot/Xavier normal: N(0, σ²) with <c>σ = √(2 / (fanIn + fanOut))</c>.</summary>
public sealed class GlorotNormal : Initializer
{
    internal GlorotNormal()
    {
    }

    /// <inheritdoc/>
    public override string Name => "glorot_normal";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillNormal(values, Math.Sqrt(2.0 / (fanIn + fanOut)), random);
}
