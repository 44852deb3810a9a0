using System.Numerics;
using NeuralNet.Components;

namespace NeuralNet.UpdateRules;

/// <summary>
/// How a parameter moves given its gradient: plain gradient descent, momentum, Nesterov, RMSProp, Adam, AdamW.
/// Any rule combines with any of the three gradient descents (batch, stochastic, mini-batch), which only
/// decide how many samples feed each gradient.
/// </summary>
/// <remarks>
/// <para>
/// A rule is immutable hyper-parameters only. The state it needs per parameter (velocities, moment estimates) is a
/// <see cref="ParameterState{T}"/> made and kept by whoever trains: a <see cref="ParameterUpdater{T}"/>, which training
/// owns and checkpoints save. So one rule object may be shared by any number of trainings, at the same time too.
/// Gradients are <c>+dL/dθ</c>; every rule subtracts.
/// </para>
/// <para>
/// To add a rule, derive from this class (implement <see cref="Apply{T}"/> and <see cref="Name"/>, with
/// <see cref="StateBufferCount"/> and <see cref="GetConfig"/> when it keeps state or has hyper-parameters) and
/// register it in <see cref="ComponentRegistry.UpdateRules"/> under its name; checkpoints then save and restore its
/// state like any other's.
/// </para>
/// </remarks>
public abstract class UpdateRule
{
    /// <summary>Creates the rule; derived classes hold only immutable hyper-parameters.</summary>
    protected UpdateRule()
    {
    }

    /// <summary>The stable name it is registered under, such as <c>adam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>How many buffers of state, each as long as the parameter, the rule keeps per parameter (0 for plain, 2 for Adam).</summary>
    public virtual int StateBufferCount => 0;

    /// <summary>The hyper-parameters the registered factory needs to rebuild this rule; empty when it has none.</summary>
    /// <returns>A new configuration.</returns>
    public virtual ComponentConfig GetConfig() => new();

    /// <summary>Whether <paramref name="other"/> is the same rule with the same hyper-parameters.</summary>
    /// <param name="other">Another rule.</param>
    /// <returns>True when name and configuration are equal.</returns>
    public bool IsSameRuleAs(UpdateRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Name == other.Name && GetConfig().Equals(other.GetConfig());
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        ComponentConfig config = GetConfig();
        return config.Count == 0 ? Name : $"{Name}({config})";
    }

    /// <summary>
    /// Moves <paramref name="parameter"/>'s values one step against its gradient, updating <paramref name="state"/>
    /// (whose <see cref="ParameterState{T}.Step"/> counts the steps taken so far and is the rule's to advance).
    /// </summary>
    /// <param name="parameter">The parameter; its gradient holds the current dL/dθ.</param>
    /// <param name="state">This rule's state for the parameter, with <see cref="StateBufferCount"/> buffers.</param>
    /// <param name="learningRate">The step size, positive and finite.</param>
    protected internal abstract void Apply<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Whether this step for <paramref name="parameter"/> is exactly <c>θ ← θ + s·g</c> with nothing else to do, so
    /// that backpropagation may add <c>s·g</c> straight into the values as it computes <c>g</c> (see
    /// <see cref="Parameter{T}"/>); <see cref="Apply{T}"/> is then not called for this step. The default declines.
    /// </summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="state">This rule's state for the parameter.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="scale">The factor s, when fusing.</param>
    /// <returns>True to fuse this step.</returns>
    protected internal virtual bool TryFuse<T>(Parameter<T> parameter, ParameterState<T> state, T learningRate, out T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        scale = T.Zero;
        return false;
    }
}
