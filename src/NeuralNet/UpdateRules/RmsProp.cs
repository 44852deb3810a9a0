using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// RMSProp: <c>s ← ρ·s + (1 − ρ)·g²</c>, <c>θ ← θ − η·g / (√s + ε)</c>, with s starting at 0, so each
/// weight's step is scaled by a running average of its own gradient's size.
/// </summary>
public sealed class RmsProp : UpdateRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="decay">ρ, in [0, 1). Default 0.9.</param>
    /// <param name="epsilon">ε, positive, keeps the division finite. Default 1e-8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is outside [0, 1) or <paramref name="epsilon"/> is not positive.</exception>
    public RmsProp(double decay = 0.9, double epsilon = 1e-8)
    {
        Guard.InRange(decay, 0, 1, nameof(decay));
        Guard.PositiveFinite(epsilon, nameof(epsilon));
        Decay = decay;
        Epsilon = epsilon;
    }

    /// <summary>ρ, the decay of the running average of squared gradients.</summary>
    public double Decay { get; }

    /// <summary>ε, added to the root before dividing.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <inheritdoc/>
    public override int StateBufferCount => 1;

    /// <inheritdoc/>
    protected internal override void Apply<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate)
    {
        Span<T> square = state.Buffer(0);
        state.Step++;
        Span<T> values = parameter.Values;
        ReadOnlySpan<T> gradients = parameter.Gradients;
        T rho = T.CreateChecked(Decay);
        T oneMinusRho = T.One - rho;
        T epsilon = T.CreateChecked(Epsilon);
        for (int i = 0; i < values.Length; i++)
        {
            T g = gradients[i];
            square[i] = Subnormal.FlushToZero((rho * square[i]) + (oneMinusRho * g * g));
            values[i] -= learningRate * g / (T.Sqrt(square[i]) + epsilon);
        }
    }

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("decay", Decay).Set("epsilon", Epsilon);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(decay={Decay}, epsilon={Epsilon})");
}
