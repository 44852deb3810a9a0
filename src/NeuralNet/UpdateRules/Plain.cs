using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.UpdateRules;

/// <summary>Plain gradient descent, the article's rule: <c>θ ← θ − η·g</c>. It keeps no state.</summary>
/// <remarks>
/// Its step is <c>θ + s·g</c> with <c>s = −η</c> and nothing else, so in training (without weight decay on a
/// parameter) it is fused into backpropagation: the layer adds <c>−η·g</c> straight into the values as it computes
/// <c>g</c>, one pass over the parameter instead of three (see <see cref="Parameter{T}"/>).
/// </remarks>
public sealed class Plain : UpdateRule
{
    private readonly bool _fuses = true;

    /// <summary>Creates the rule.</summary>
    public Plain()
    {
    }

    /// <summary>Creates the rule, optionally never fused, so that benchmarks and tests can compare the two paths.</summary>
    internal Plain(bool fuses) => _fuses = fuses;

    /// <inheritdoc/>
    public override string Name => "plain";

    /// <inheritdoc/>
    protected internal override void Apply<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate)
    {
        TensorPrimitives.MultiplyAdd(parameter.Gradients, -learningRate, parameter.Values, parameter.Values);
        state.Step++;
    }

    /// <inheritdoc/>
    protected internal override bool TryFuse<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate, out T scale)
    {
        scale = -learningRate;
        if (_fuses)
        {
            state.Step++;
        }

        return _fuses;
    }
}
