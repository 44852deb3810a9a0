using NeuralNet.Internal;
using NeuralNet.UpdateRules;

namespace NeuralNet.Training;

/// <summary>How to train: how many epochs, how big a step, which samples per update, which update rule, which seed.</summary>
/// <remarks>Checked when training starts; a bad value throws there, naming the option and the value.</remarks>
public sealed record TrainingOptions
{
    /// <summary>The number of passes over the training data, positive. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The step size η, positive and finite. Default 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Which samples feed each update. Default: mini-batches of 32.</summary>
    public GradientDescent GradientDescent { get; init; } = new MiniBatchGradientDescent(32);

    /// <summary>
    /// How each update moves the parameters. Default: plain gradient descent. A rule holds only its
    /// hyper-parameters: each training keeps its own state for it (velocities, moments), so one rule may serve any
    /// number of trainings, and a new training starts from fresh state (resume a checkpoint to continue one).
    /// </summary>
    public UpdateRule UpdateRule { get; init; } = new Plain();

    /// <summary>Seeds the per-epoch shuffling. The same seed, data and network give bit-identical weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Receives each epoch's record as it completes, on the training thread. A <see cref="SynchronousProgress{T}"/>
    /// handler (or <see cref="TrainingProgress.Console"/>) runs there and then, while training waits, and may evaluate
    /// the network: it sees every report, in epoch order, before <c>Fit</c> returns. A <see cref="Progress{T}"/> posts to
    /// the captured synchronisation context (the thread pool in a console program), so its handler runs later, on
    /// another thread, while training goes on: reports can arrive out of order, and the last ones may arrive after
    /// <c>Fit</c> returns (or never, if the program exits first). It must not call the network, which refuses calls from
    /// other threads until training ends (<see cref="InvalidOperationException"/>); read the record instead. For reports
    /// that are never lost nor reordered, use <see cref="OnEpoch"/> or a <see cref="SynchronousProgress{T}"/>.
    /// </summary>
    public IProgress<EpochRecord>? Progress { get; init; }

    /// <summary>
    /// Called with each epoch's record as the epoch completes, on the training thread, before <see cref="Progress"/>;
    /// training waits for it, so every record arrives, in epoch order, before <c>Fit</c> returns, and the callback may
    /// evaluate the network. An exception it throws ends the training and comes out of <c>Fit</c>. Default null.
    /// </summary>
    public Action<EpochRecord>? OnEpoch { get; init; }

    /// <summary>How the learning rate changes from epoch to epoch. Default: constant.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// L2 weight decay λ ≥ 0: each update uses <c>g + λ·W</c> for weight matrices (not biases), which minimises
    /// the loss plus <c>½λ‖W‖²</c>. Default 0.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// The fraction of the training data held out for validation when no validation data is passed, in [0, 1).
    /// The split is seeded by <see cref="Seed"/> and stratified for class labels. Default 0 (none).
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>Stops training when the monitored loss stops improving; null (the default) trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Lowers the learning rate when the monitored loss stops improving; null (the default) never does.</summary>
    public ReduceOnPlateau? ReduceOnPlateau { get; init; }

    /// <summary>Saves a resumable checkpoint during training; null (the default) saves none.</summary>
    public CheckpointOptions? Checkpoint { get; init; }

    /// <summary>
    /// Clips the gradients of every step by their global norm, as PyTorch's <c>clip_grad_norm_</c>: with
    /// <c>N = √(Σ g²)</c> over all parameters together, every gradient is multiplied by <c>c/(N + 10⁻⁶)</c> when that
    /// is below 1. Positive and finite, or null (the default) for no clipping. Clipping happens before weight decay is
    /// added to the gradients; while it is on, plain steps are not fused into backpropagation.
    /// </summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>
    /// Clamps every gradient element into <c>[−c, c]</c> each step, as PyTorch's <c>clip_grad_value_</c>. Positive and
    /// finite, or null (the default) for none. With <see cref="ClipGradientNorm"/> too, values are clamped first.
    /// </summary>
    public double? ClipGradientValue { get; init; }

    /// <summary>Throws, naming the option and its value, when an option is out of range.</summary>
    internal void Check()
    {
        Guard.Positive(Epochs, nameof(Epochs));
        Guard.PositiveFinite(LearningRate, nameof(LearningRate));
        ArgumentNullException.ThrowIfNull(GradientDescent, nameof(GradientDescent));
        ArgumentNullException.ThrowIfNull(UpdateRule, nameof(UpdateRule));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        Guard.InRange(WeightDecay, 0, double.MaxValue, nameof(WeightDecay));
        Guard.InRange(ValidationFraction, 0, 1, nameof(ValidationFraction));
        if (ClipGradientNorm is { } norm)
        {
            Guard.PositiveFinite(norm, nameof(ClipGradientNorm));
        }

        if (ClipGradientValue is { } value)
        {
            Guard.PositiveFinite(value, nameof(ClipGradientValue));
        }
    }
}
