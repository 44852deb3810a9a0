using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// How a parameter moves given its gradient: plain gradient descent, momentum, Nesterov, RMSProp, Adam.
/// Any rule combines with any of the three gradient descents (batch, stochastic, mini-batch), which only
/// decide how many samples feed each gradient.
/// </summary>
/// <remarks>
/// A rule holds immutable hyper-parameters plus per-parameter state (velocities, moment estimates) keyed by
/// the <see cref="Parameter{T}"/> object itself, never by its position in a list. Use one rule instance per
/// network being trained; an instance is not thread-safe. Gradients are <c>+dL/dθ</c>; every rule subtracts.
/// </remarks>
public abstract class UpdateRule
{
    private readonly Dictionary<object, object> _state = new(ReferenceEqualityComparer.Instance);

    private protected UpdateRule()
    {
    }

    /// <summary>A short stable identifier, such as <c>adam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Moves <paramref name="parameter"/>'s values one step against its gradient.</summary>
    /// <param name="parameter">The parameter; its gradient must hold the current dL/dθ.</param>
    /// <param name="learningRate">The step size, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    public void Update<T>(Parameter<T> parameter, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Guard.PositiveFinite(double.CreateChecked(learningRate), nameof(learningRate));
        Apply(parameter, learningRate);
    }

    /// <summary>Forgets all per-parameter state, as if no step had been taken.</summary>
    public void Reset() => _state.Clear();

    /// <summary>The number of parameters this rule holds state for.</summary>
    public int StateCount => _state.Count;

    /// <summary>Applies one step; the arguments are already checked.</summary>
    internal abstract void Apply<T>(Parameter<T> parameter, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// True when a step is exactly <c>θ ← θ − η·g</c> with no state, which training may fuse into backpropagation.
    /// </summary>
    internal virtual bool IsPlainStep => false;

    /// <summary>How many parameter-sized buffers of state this rule keeps per parameter.</summary>
    internal abstract int BufferCount { get; }

    /// <summary>The hyper-parameters in a fixed order, for checkpoints.</summary>
    internal abstract double[] HyperParameters { get; }

    /// <summary>The state this rule keeps for <paramref name="parameter"/>, created on first use.</summary>
    private protected RuleState<T> State<T>(Parameter<T> parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_state.TryGetValue(parameter, out object? state))
        {
            state = new RuleState<T>(BufferCount, parameter.Length);
            _state.Add(parameter, state);
        }

        return (RuleState<T>)state;
    }

    /// <summary>The state kept for <paramref name="parameter"/>, or null when it has none yet.</summary>
    internal RuleState<T>? ExistingState<T>(Parameter<T> parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
        => _state.TryGetValue(parameter, out object? state) ? (RuleState<T>)state : null;

    /// <summary>Replaces the state kept for <paramref name="parameter"/> (restoring a checkpoint).</summary>
    internal void RestoreState<T>(Parameter<T> parameter, RuleState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
        => _state[parameter] = state;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
