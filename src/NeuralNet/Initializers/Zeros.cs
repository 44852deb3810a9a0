using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>All zeros, the default for biases.</summary>
public sealed class Zeros : Initializer
{
    internal Zeros()
    {
    }

    /// <inheritdoc/>
    public override string Name => "zeros";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random) => values.Clear();
}
