using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>The identity <c>g(z) = z</c>: a linear layer, or logits handed to a fused loss.</summary>
public sealed class Identity : Activation
{
    internal Identity()
    {
    }

    /// <inheritdoc/>
    public override string Name => "identity";

    /// <inheritdoc/>
    public override bool IsIdentity => true;

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => z.CopyTo(a);

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows) => da.CopyTo(dz);
}
