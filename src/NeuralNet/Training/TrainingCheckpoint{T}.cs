using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.UpdateRules;

namespace NeuralNet.Training;

/// <summary>A loaded training checkpoint: the network as it was after <see cref="CompletedEpochs"/> epochs, and all it takes to go on.</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Each Resume overload takes different data (a dataset, matrices, labels), so no call is ambiguous; they are NeuralNet 1.0's overloads, moved from Persistence.")]
public sealed class TrainingCheckpoint<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingState<T> _state;
    private bool _resumed;

    internal TrainingCheckpoint(Network<T> network, UpdateRule updateRule, TrainingState<T> state)
    {
        Network = network;
        UpdateRule = updateRule;
        _state = state;
    }

    /// <summary>The network, with the weights it had when the checkpoint was written.</summary>
    public Network<T> Network { get; }

    /// <summary>The update rule of the interrupted run; its per-parameter state is restored when the run resumes.</summary>
    public UpdateRule UpdateRule { get; }

    /// <summary>The number of epochs completed before the checkpoint.</summary>
    public int CompletedEpochs => _state.CompletedEpochs;

    /// <summary>
    /// For a checkpoint written within an epoch (see <see cref="CheckpointOptions.EveryUpdates"/> and
    /// <see cref="CheckpointOptions.Interval"/>), the updates epoch <see cref="CompletedEpochs"/> + 1 had done; 0 for
    /// one written at an epoch's end.
    /// </summary>
    public int UpdatesInEpoch => _state.Position?.Updates ?? 0;

    /// <summary>The records of the completed epochs.</summary>
    public IReadOnlyList<EpochRecord> History => _state.History;

    /// <summary>
    /// Continues training <see cref="Network"/> from epoch <see cref="CompletedEpochs"/> + 1 up to
    /// <c>options.Epochs</c>, with the restored update-rule state and generator. Pass the same data and options as the
    /// interrupted run to get its exact result.
    /// </summary>
    /// <remarks>
    /// A checkpoint written within an epoch resumes at its next update: the epoch's batches are rebuilt in the same
    /// shuffled order and the first <see cref="UpdatesInEpoch"/> of them passed over.
    /// </remarks>
    /// <param name="train">The training data.</param>
    /// <param name="options">The run's options; its update rule must have the checkpoint's name and hyper-parameters.</param>
    /// <param name="validation">The validation data, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run, the checkpoint's epochs included.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, or the data does not fit.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public TrainingHistory Resume(Dataset<T> train, TrainingOptions options, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        Claim(options);
        return Trainer<T>.Fit(Network, train, options, validation, _state, cancellationToken);
    }

    /// <summary>
    /// Continues a training on a stream of batches (<see cref="TrainingExtensions.Fit{T}(Network{T}, IEnumerable{DataBatch{T}}, TrainingOptions?, Dataset{T}?, CancellationToken)"/>)
    /// from epoch <see cref="CompletedEpochs"/> + 1: history, learning-rate schedule, plateau and early-stopping state
    /// and update-rule state go on where they stopped.
    /// </summary>
    /// <remarks>
    /// The stream is enumerated afresh from its first batch, as every epoch is. For a checkpoint written within an
    /// epoch, its first <see cref="UpdatesInEpoch"/> batches are read and passed over (a stream cannot seek), and
    /// training goes on from the next one. Pass a source that yields each epoch's batches in the same order as the
    /// interrupted run (the same seed, the same shuffling if it shuffles) to get its exact result; the updates the
    /// interrupted run made after its last checkpoint are redone.
    /// </remarks>
    /// <param name="batches">The batches, enumerated afresh every epoch; each makes one update.</param>
    /// <param name="options">The run's options; its update rule must have the checkpoint's name and hyper-parameters.</param>
    /// <param name="validation">The validation data, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run, the checkpoint's epochs included.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, a batch does not fit, an option is out of range, or the stream gives fewer batches in the resumed epoch than the checkpoint had used.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public TrainingHistory Resume(IEnumerable<DataBatch<T>> batches, TrainingOptions options, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        Claim(options);
        Trainer<T> trainer = TrainingExtensions.Streaming(Network, options, validation, _state);
        return trainer.Run(() => batches.Select(trainer.Checked), cancellationToken);
    }

    /// <summary>
    /// Continues a training on batches produced asynchronously, from the next epoch boundary (see
    /// <see cref="Resume(IEnumerable{DataBatch{T}}, TrainingOptions, Dataset{T}?, CancellationToken)"/> for the rule).
    /// </summary>
    /// <param name="batches">The batches, enumerated afresh every epoch; each makes one update.</param>
    /// <param name="options">The run's options; its update rule must have the checkpoint's name and hyper-parameters.</param>
    /// <param name="validation">The validation data, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run, the checkpoint's epochs included.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, a batch does not fit, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public Task<TrainingHistory> ResumeAsync(IAsyncEnumerable<DataBatch<T>> batches, TrainingOptions options, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        Claim(options);
        return TrainingExtensions.Streaming(Network, options, validation, _state).RunAsync(batches, cancellationToken);
    }

    /// <summary>Continues training on matrices (see <see cref="Resume(Dataset{T}, TrainingOptions, Dataset{T}?, CancellationToken)"/>).</summary>
    /// <param name="inputs">Samples × features.</param>
    /// <param name="targets">Samples × outputs.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, or the data does not fit.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public TrainingHistory Resume(Matrix<T> inputs, Matrix<T> targets, TrainingOptions options, CancellationToken cancellationToken = default)
        => Resume(Dataset.ForRegression(inputs, targets), options, null, cancellationToken);

    /// <summary>Continues training a classifier on class labels (see <see cref="Resume(Dataset{T}, TrainingOptions, Dataset{T}?, CancellationToken)"/>).</summary>
    /// <param name="inputs">Samples × features.</param>
    /// <param name="labels">One class per sample.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, or the data does not fit.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public TrainingHistory Resume(Matrix<T> inputs, IReadOnlyList<int> labels, TrainingOptions options, CancellationToken cancellationToken = default)
        => Resume(Dataset.ForClassification(inputs, labels, Network.ClassCount), options, null, cancellationToken);

    /// <summary>Checks that <paramref name="options"/> continue this checkpoint's run, and marks it resumed.</summary>
    private void Claim(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UpdateRule is null || !options.UpdateRule.IsSameRuleAs(UpdateRule))
        {
            throw new ArgumentException($"Expected the checkpoint's update rule {UpdateRule}, but the options name {options.UpdateRule}.", nameof(options));
        }

        if (_resumed)
        {
            throw new InvalidOperationException("This checkpoint has already been resumed; load it again to resume from the same point.");
        }

        _resumed = true;
    }
}
