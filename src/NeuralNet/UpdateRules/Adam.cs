using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// Adam (Kingma and Ba, 2015): <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>,
/// <c>θ ← θ − η·m̂ / (√v̂ + ε)</c> with the bias corrections <c>m̂ = m / (1 − β₁ᵗ)</c>, <c>v̂ = v / (1 − β₂ᵗ)</c>.
/// </summary>
/// <remarks>The step count t is kept per parameter, next to that parameter's moments.</remarks>
public sealed class Adam : UpdateRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="beta1">β₁, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β₂, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <exception cref="ArgumentOutOfRangeException">A β is outside [0, 1) or <paramref name="epsilon"/> is not positive.</exception>
    public Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        Guard.InRange(beta1, 0, 1, nameof(beta1));
        Guard.InRange(beta2, 0, 1, nameof(beta2));
        Guard.PositiveFinite(epsilon, nameof(epsilon));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>β₁, the decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the root before dividing.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <inheritdoc/>
    public override int StateBufferCount => 2;

    /// <inheritdoc/>
    protected internal override void Apply<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate)
    {
        state.Step++;
        Span<T> values = parameter.Values;
        ReadOnlySpan<T> gradients = parameter.Gradients;
        T beta1 = T.CreateChecked(Beta1);
        T beta2 = T.CreateChecked(Beta2);
        T epsilon = T.CreateChecked(Epsilon);
        T correction1 = T.One / T.CreateChecked(1 - Math.Pow(Beta1, state.Step));
        T correction2 = T.One / T.CreateChecked(1 - Math.Pow(Beta2, state.Step));
        Span<T> m = state.Buffer(0);
        Span<T> v = state.Buffer(1);
        for (int i = 0; i < values.Length; i++)
        {
            T g = gradients[i];
            m[i] = Subnormal.FlushToZero((beta1 * m[i]) + ((T.One - beta1) * g));
            v[i] = Subnormal.FlushToZero((beta2 * v[i]) + ((T.One - beta2) * g * g));
            values[i] -= learningRate * (m[i] * correction1) / (T.Sqrt(v[i] * correction2) + epsilon);
        }
    }

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("beta1", Beta1).Set("beta2", Beta2).Set("epsilon", Epsilon);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon})");
}
