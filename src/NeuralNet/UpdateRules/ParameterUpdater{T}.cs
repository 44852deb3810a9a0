using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Internal;

namespace NeuralNet.UpdateRules;

/// <summary>
/// The update step of a training: an update rule applied to a set of parameters, with the rule's state for each
/// parameter and optional L2 weight decay. Training owns one, and its checkpoints save the state; use one yourself to
/// train with your own loop (<c>network.Backpropagate(x, y)</c>, then <see cref="Update"/>).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// State is keyed by the parameter object, never by position. Weight decay adds <c>λ·θ</c> to the gradient of every
/// parameter that <see cref="Parameter{T}.Decays"/> before the rule sees it; such parameters never take a fused step.
/// An updater is not thread-safe; the rule it applies may be shared.
/// </remarks>
public sealed class ParameterUpdater<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly ParameterState<T>[] _states;
    private readonly Dictionary<Parameter<T>, ParameterState<T>> _byParameter = new(ReferenceEqualityComparer.Instance);
    private readonly bool[] _everFused;
    private readonly T _weightDecay;

    /// <summary>Creates the updater with fresh state (zero buffers, no steps) for each parameter.</summary>
    /// <param name="rule">The update rule.</param>
    /// <param name="parameters">The parameters to update, each once.</param>
    /// <param name="weightDecay">The L2 weight decay λ, non-negative and finite. Default 0.</param>
    /// <exception cref="ArgumentException">A parameter is null or listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weightDecay"/> is negative or not finite.</exception>
    public ParameterUpdater(UpdateRule rule, IEnumerable<Parameter<T>> parameters, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.InRange(weightDecay, 0, double.MaxValue, nameof(weightDecay));
        Rule = rule;
        WeightDecay = weightDecay;
        _weightDecay = T.CreateChecked(weightDecay);
        _parameters = [.. parameters];
        _states = new ParameterState<T>[_parameters.Length];
        _everFused = new bool[_parameters.Length];
        for (int p = 0; p < _parameters.Length; p++)
        {
            Parameter<T> parameter = _parameters[p] ?? throw new ArgumentException($"Expected a parameter at position {p}, but got null.", nameof(parameters));
            _states[p] = new ParameterState<T>(rule.StateBufferCount, parameter.Length);
            if (!_byParameter.TryAdd(parameter, _states[p]))
            {
                throw new ArgumentException($"Expected distinct parameters, but {parameter} is listed twice.", nameof(parameters));
            }
        }
    }

    /// <summary>The update rule.</summary>
    public UpdateRule Rule { get; }

    /// <summary>The L2 weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// The largest global gradient norm a step keeps (PyTorch's <c>clip_grad_norm_</c>), or null for none; training
    /// sets it from <see cref="Training.TrainingOptions.ClipGradientNorm"/>.
    /// </summary>
    internal double? ClipNorm { get; set; }

    /// <summary>The largest gradient magnitude a step keeps (PyTorch's <c>clip_grad_value_</c>), or null for none.</summary>
    internal double? ClipValue { get; set; }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The rule's state for <paramref name="parameter"/>.</summary>
    /// <param name="parameter">One of <see cref="Parameters"/>.</param>
    /// <returns>Its state.</returns>
    /// <exception cref="KeyNotFoundException"><paramref name="parameter"/> is not one of <see cref="Parameters"/>.</exception>
    public ParameterState<T> StateOf(Parameter<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return _byParameter.TryGetValue(parameter, out ParameterState<T>? state)
            ? state
            : throw new KeyNotFoundException($"{parameter} is not one of the parameters this updater updates.");
    }

    /// <summary>Moves every parameter one step against the gradient its last backward pass left.</summary>
    /// <param name="learningRate">The step size, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    public void Update(T learningRate)
    {
        Guard.PositiveFinite(double.CreateChecked(learningRate), nameof(learningRate));
        Clip();
        for (int p = 0; p < _parameters.Length; p++)
        {
            Apply(p, learningRate);
        }
    }

    /// <summary>The state of the parameter at <paramref name="index"/> (checkpoints read and restore it).</summary>
    internal ParameterState<T> StateAt(int index) => _states[index];

    /// <summary>
    /// Prepares a training step: every parameter whose step the rule can fuse (and that weight decay leaves alone)
    /// will take its gradient straight into its values during the coming backward pass.
    /// </summary>
    internal void BeginStep(T learningRate)
    {
        // Clipping needs every gradient whole before any parameter moves, so nothing fuses while it is on.
        if (Clips)
        {
            return;
        }

        for (int p = 0; p < _parameters.Length; p++)
        {
            Parameter<T> parameter = _parameters[p];
            if (!Decays(parameter) && Rule.TryFuse(parameter, _states[p], learningRate, out T scale))
            {
                parameter.BeginFusedStep(scale);
                _everFused[p] = true;
            }
        }
    }

    /// <summary>Completes a training step: applies the rule to every parameter whose step was not fused.</summary>
    internal void EndStep(T learningRate)
    {
        Clip();
        for (int p = 0; p < _parameters.Length; p++)
        {
            if (_parameters[p].IsFused)
            {
                _parameters[p].EndFusedStep();
            }
            else
            {
                Apply(p, learningRate);
            }
        }
    }

    /// <summary>Ends a training: no step stays fused, and a parameter trained by fused steps is left with a zero gradient rather than a stale one.</summary>
    internal void EndTraining()
    {
        for (int p = 0; p < _parameters.Length; p++)
        {
            _parameters[p].EndFusedStep();
            if (_everFused[p])
            {
                _parameters[p].ZeroGradient();
                _everFused[p] = false;
            }
        }
    }

    private bool Clips => ClipNorm is not null || ClipValue is not null;

    /// <summary>Clips the gradients, by value first, then by global norm, as PyTorch code that calls both usually does.</summary>
    private void Clip()
    {
        if (ClipValue is { } value)
        {
            GradientClipping.ByValue(_parameters, value);
        }

        if (ClipNorm is { } norm)
        {
            GradientClipping.ByNorm(_parameters, norm);
        }
    }

    private bool Decays(Parameter<T> parameter) => _weightDecay > T.Zero && parameter.Decays;

    private void Apply(int p, T learningRate)
    {
        Parameter<T> parameter = _parameters[p];
        if (Decays(parameter))
        {
            TensorPrimitives.MultiplyAdd(parameter.Values, _weightDecay, parameter.Gradients, parameter.Gradients);
        }

        Rule.Apply(parameter, _states[p], learningRate);
    }
}
