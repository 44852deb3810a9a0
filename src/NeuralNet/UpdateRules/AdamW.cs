using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019), Adam with decoupled weight decay, as PyTorch's <c>torch.optim.AdamW</c>:
/// first <c>θ ← θ − η·λ·θ</c>, then the Adam step <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>,
/// <c>θ ← θ − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Unlike L2 weight decay (<see cref="ParameterUpdater{T}.WeightDecay"/>), which adds <c>λ·θ</c> to the gradient and so
/// is rescaled by Adam's per-coordinate step, the decay here shrinks the weights directly, by the same fraction
/// <c>η·λ</c> for every coordinate.
/// </para>
/// <para>
/// The decay applies to the parameters that <see cref="Parameter{T}.Decays"/> (weight matrices, not biases); PyTorch
/// decays every parameter of a group unless the biases are put in a group of their own with no decay. The step count
/// t is kept per parameter, next to that parameter's moments.
/// </para>
/// </remarks>
public sealed class AdamW : UpdateRule
{
    /// <summary>Creates the rule; the defaults are PyTorch's.</summary>
    /// <param name="beta1">β₁, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β₂, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">The decoupled weight decay λ, non-negative and finite. Default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">A β is outside [0, 1), <paramref name="epsilon"/> is not positive, or <paramref name="weightDecay"/> is negative or not finite.</exception>
    public AdamW(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        Guard.InRange(beta1, 0, 1, nameof(beta1));
        Guard.InRange(beta2, 0, 1, nameof(beta2));
        Guard.PositiveFinite(epsilon, nameof(epsilon));
        Guard.InRange(weightDecay, 0, double.MaxValue, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β₁, the decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the bias-corrected root before dividing.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the decoupled weight decay: each step first multiplies the decaying weights by <c>1 − η·λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override string Name => "adamw";

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

        // PyTorch's order of operations, so that rounding follows it too: the decay, then the moments, then
        // θ − (η / c₁)·m / (√v / √c₂ + ε).
        T shrink = T.One - (learningRate * T.CreateChecked(WeightDecay));
        bool decays = WeightDecay > 0 && parameter.Decays;
        T stepSize = learningRate / T.CreateChecked(1 - Math.Pow(Beta1, state.Step));
        T rootCorrection2 = T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, state.Step)));
        Span<T> m = state.Buffer(0);
        Span<T> v = state.Buffer(1);
        for (int i = 0; i < values.Length; i++)
        {
            if (decays)
            {
                values[i] *= shrink;
            }

            T g = gradients[i];
            m[i] = Subnormal.FlushToZero((beta1 * m[i]) + ((T.One - beta1) * g));
            v[i] = Subnormal.FlushToZero((beta2 * v[i]) + ((T.One - beta2) * g * g));
            values[i] -= stepSize * (m[i] / ((T.Sqrt(v[i]) / rootCorrection2) + epsilon));
        }
    }

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("beta1", Beta1).Set("beta2", Beta2).Set("epsilon", Epsilon).Set("weight_decay", WeightDecay);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon}, weight_decay={WeightDecay})");
}
