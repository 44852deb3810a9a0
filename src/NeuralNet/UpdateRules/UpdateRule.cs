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

    /// <summary>The state this rule keeps for <paramref name="parameter"/>, created on first use.</summary>
    private protected TState State<T, TState>(Parameter<T> parameter, Func<int, TState> create)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : class
    {
        if (!_state.TryGetValue(parameter, out object? state))
        {
            state = create(parameter.Length);
            _state.Add(parameter, state);
        }

        return (TState)state;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
