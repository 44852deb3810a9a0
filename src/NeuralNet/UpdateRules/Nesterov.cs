using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// Nesterov momentum: <c>v ← μ·v + g</c>, <c>θ ← θ − η·(g + μ·v)</c>, which looks one step ahead along the
/// velocity without a second gradient evaluation. This is PyTorch's formulation (<c>SGD(nesterov=True)</c>, no
/// dampening). Keras keeps <c>−η·v</c> as its velocity instead, which takes the same steps while the learning rate
/// is constant but not when a schedule changes it, because its velocity carries the earlier rates.
/// </summary>
public sealed class Nesterov : UpdateRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="coefficient">μ, in [0, 1). Default 0.9.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coefficient"/> is outside [0, 1).</exception>
    public Nesterov(double coefficient = 0.9)
    {
        Guard.InRange(coefficient, 0, 1, nameof(coefficient));
        Coefficient = coefficient;
    }

    /// <summary>μ, the fraction of the previous velocity kept each step.</summary>
    public double Coefficient { get; }

    /// <inheritdoc/>
    public override string Name => "nesterov";

    /// <inheritdoc/>
    public override int StateBufferCount => 1;

    /// <inheritdoc/>
    protected internal override void Apply<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate)
    {
        Span<T> velocity = state.Buffer(0);
        state.Step++;
        Span<T> values = parameter.Values;
        ReadOnlySpan<T> gradients = parameter.Gradients;
        T mu = T.CreateChecked(Coefficient);
        for (int i = 0; i < values.Length; i++)
        {
            velocity[i] = Subnormal.FlushToZero((mu * velocity[i]) + gradients[i]);
            values[i] -= learningRate * (gradients[i] + (mu * velocity[i]));
        }
    }

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("coefficient", Coefficient);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({Coefficient})");
}
