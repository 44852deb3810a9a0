using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.UpdateRules;

/// <summary>Plain gradient descent, the article's rule: <c>θ ← θ − η·g</c>. It keeps no state.</summary>
/// <remarks>
/// In <c>Fit</c> without weight decay, the step is fused into backpropagation: each layer moves its weights by
/// <c>−η·Xᵀ·dZ</c> directly, one pass over the weights instead of three, and the parameters' <c>Gradient</c> matrices
/// are left as they were. <see cref="Network{T}.Backpropagate"/> followed by <see cref="UpdateRule.Update{T}"/>
/// gives the same step, up to the rounding of where η is applied.
/// </remarks>
public sealed class Plain : UpdateRule
{
    /// <inheritdoc/>
    public override string Name => "plain";

    internal override bool IsPlainStep => true;

    internal override int BufferCount => 0;

    internal override double[] HyperParameters => [];

    internal override void Apply<T>(Parameter<T> parameter, T learningRate)
        => TensorPrimitives.MultiplyAdd(parameter.Gradients, -learningRate, parameter.Values, parameter.Values);
}
