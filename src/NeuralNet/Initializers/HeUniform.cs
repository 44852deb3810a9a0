using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>He uniform: U(−l, l) with <c>l = √(6 / fanIn)</c>, compensating for ReLU zeroing half its inputs.</summary>
public sealed class HeUniform : Initializer
{
    internal HeUniform()
    {
    }

    /// <inheritdoc/>
    public override string Name => "he_uniform";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillUniform(values, Math.Sqrt(6.0 / fanIn), random);
}
