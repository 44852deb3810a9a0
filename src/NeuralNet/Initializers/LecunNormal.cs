using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>
/// LeCun normal: N(0, σ²) with <c>σ = √(1 / fanIn)</c>, which keeps a unit's pre-activation at the variance of its
/// inputs; the initialiser <see cref="Activations.Selu"/> assumes.
/// </summary>
/// <remarks>
/// This is PyTorch's recommendation for SELU (<c>kaiming_normal_(w, nonlinearity='linear')</c>). Keras'
/// <c>lecun_normal</c> draws from a normal truncated at 2σ, rescaled to the same variance.
/// </remarks>
public sealed class LecunNormal : Initializer
{
    internal LecunNormal()
    {
    }

    /// <inheritdoc/>
    public override string Name => "lecun_normal";

    /// <inheritdoc/>
    protected internal override void Fill<T>(Span<T> values, int fanIn, int fanOut, RandomSource random)
        => FillNormal(values, Math.Sqrt(1.0 / fanIn), random);
}
