using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.UpdateRules;

/// <summary>Plain gradient descent, the article's rule: <c>θ ← θ − η·g</c>. It keeps no state.</summary>
public sealed class Plain : UpdateRule
{
    /// <inheritdoc/>
    public override string Name => "plain";

    internal override int BufferCount => 0;

    internal override double[] HyperParameters => [];

    internal override void Apply<T>(Parameter<T> parameter, T learningRate)
        => TensorPrimitives.MultiplyAdd(parameter.Gradients, -learningRate, parameter.Values, parameter.Values);
}
