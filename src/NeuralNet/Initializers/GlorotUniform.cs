using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Glorot/Xavier uniform: U(−l, l) with <c>l = √(6 / (fanIn + fanOut))</c>, keeping the activation variance steady for tanh and sigmoid layers.</summary>
public sealed class GlorotUniform : Initializer
{
    internal GlorotUniform()
    {
    }

    /// <inheritdoc/>
    public override string Name => "glorot_uniform";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillUniform(values, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
}
