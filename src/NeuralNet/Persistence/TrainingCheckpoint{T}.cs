using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Persistence;

/// <summary>A loaded training checkpoint: the network as it was after <see cref="CompletedEpochs"/> epochs, and all it takes to go on.</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingCheckpoint<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingState<T> _state;

    internal TrainingCheckpoint(Network<T> network, UpdateRule updateRule, TrainingState<T> state)
    {
        Network = network;
        UpdateRule = updateRule;
        _state = state;
    }

    /// <summary>The network, with the weights it had when the checkpoint was written.</summary>
    public Network<T> Network { get; }

    /// <summary>The update rule, with its per-parameter state restored.</summary>
    public UpdateRule UpdateRule { get; }

    /// <summary>The number of epochs completed before the checkpoint.</summary>
    public int CompletedEpochs => _state.CompletedEpochs;

    /// <summary>The records of the completed epochs.</summary>
    public IReadOnlyList<EpochRecord> History => _state.History;

    /// <summary>
    /// Continues training <see cref="Network"/> from epoch <see cref="CompletedEpochs"/> + 1 up to
    /// <c>options.Epochs</c>, with the restored update rule and generator. Pass the same data and options as the
    /// interrupted run to get its exact result.
    /// </summary>
    /// <param name="train">The training data.</param>
    /// <param name="options">The run's options; its update rule must be of the same kind and settings as the checkpoint's, whose state is used.</param>
    /// <param name="validation">The validation data, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run, the checkpoint's epochs included.</returns>
    /// <exception cref="ArgumentException">The update rule differs from the checkpoint's, or the data does not fit.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint has already been resumed.</exception>
    public TrainingHistory Resume(Dataset<T> train, TrainingOptions options, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UpdateRule is null || options.UpdateRule.ToString() != UpdateRule.ToString())
        {
            throw new ArgumentException($"Expected the checkpoint's update rule {UpdateRule}, but the options name {options.UpdateRule}.", nameof(options));
        }

        if (_resumed)
        {
            throw new InvalidOperationException("This checkpoint has already been resumed; load it again to resume from the same point.");
        }

        _resumed = true;
        return Network.FitCore(train, options with { UpdateRule = UpdateRule }, validation, _state, cancellationToken);
    }

    /// <summary>Continues training on matrices (see <see cref="Resume(Dataset{T}, TrainingOptions, Dataset{T}?, CancellationToken)"/>).</summary>
    /// <param name="inputs">Samples × features.</param>
    /// <param name="targets">Samples × outputs.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run.</returns>
    public TrainingHistory Resume(Matrix<T> inputs, Matrix<T> targets, TrainingOptions options, CancellationToken cancellationToken = default)
        => Resume(Dataset.ForRegression(inputs, targets), options, null, cancellationToken);

    /// <summary>Continues training a classifier on class labels (see <see cref="Resume(Dataset{T}, TrainingOptions, Dataset{T}?, CancellationToken)"/>).</summary>
    /// <param name="inputs">Samples × features.</param>
    /// <param name="labels">One class per sample.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The history of the whole run.</returns>
    public TrainingHistory Resume(Matrix<T> inputs, IReadOnlyList<int> labels, TrainingOptions options, CancellationToken cancellationToken = default)
        => Resume(Dataset.ForClassification(inputs, labels, Network.ClassCount), options, null, cancellationToken);

    private bool _resumed;
}
