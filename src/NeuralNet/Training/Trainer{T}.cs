using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.UpdateRules;

namespace NeuralNet.Training;

/// <summary>
/// Runs a training: epoch by epoch, batch by batch, the network backpropagates and the updater steps every parameter;
/// after each epoch the weights are checked, then validated, recorded, checked for early stopping and checkpointed.
/// It orchestrates only: gradients come from the network, the step from the update rule, and the state lives in
/// <see cref="TrainingState{T}"/>.
/// </summary>
/// <remarks>
/// The epoch loop is <see cref="BeginEpoch"/>, <see cref="Step"/> per batch and <see cref="EndEpoch"/>; the two
/// drivers, <see cref="Run"/> for batches that come synchronously (in memory or from an <c>IEnumerable</c>) and
/// <see cref="RunAsync"/> for an <c>IAsyncEnumerable</c>, only feed it batches.
/// </remarks>
internal sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly TrainingOptions _options;
    private readonly TrainingState<T> _state;
    private readonly (Matrix<T> Inputs, Matrix<T> Targets)? _validation;
    private readonly TrainingContext _context;
    private readonly DivergenceGuard<T> _guard;
    private readonly PlateauTracker? _plateau;
    private readonly IStepProgress? _stepProgress;
    private ParameterUpdater<T>? _updater;
    private bool _stopped;
    private int _epoch;
    private int _step;
    private double _rate;
    private T _learningRate;
    private long _started;
    private double _lossSum;
    private int _samples;
    private int _correct;
    private bool _scaleChecked;
    private string? _pendingWarning;
    private EpochPosition? _resumeAt;
    private int _skip;
    private (ulong, ulong, ulong, ulong) _epochStartRandom;
    private (ulong, ulong, ulong, ulong) _randomAfterSkip;
    private long _updatesBefore;
    private long _lastCheckpoint;

    public Trainer(Network<T> network, TrainingOptions options, TrainingState<T> state, (Matrix<T> Inputs, Matrix<T> Targets)? validation)
    {
        _network = network;
        _options = options;
        _state = state;
        _validation = validation;
        _context = new TrainingContext(state.Random);
        _guard = new DivergenceGuard<T>(network);
        _epoch = state.CompletedEpochs;
        _stepProgress = options.Progress as IStepProgress;
        _updatesBefore = state.History.Sum(r => (long)r.Updates);

        // A checkpoint written within an epoch: the next epoch begins where it stopped (see BeginEpoch).
        _resumeAt = state.Position;
        state.Position = null;

        // The plateau state is a function of the recorded epochs, so a resumed run rebuilds it from the checkpoint's history.
        if (options.ReduceOnPlateau is { } plateau)
        {
            _plateau = new PlateauTracker(plateau);
            foreach (EpochRecord record in state.History)
            {
                _plateau.Observe(record);
            }
        }

        // A run resumed from a checkpoint written when early stopping ended it stays ended.
        _stopped = options.EarlyStopping is { } early && state.EarlyStopping.HasStopped(early);
    }

    /// <summary>Trains on batches that come synchronously; <paramref name="epochBatches"/> gives each epoch's batches afresh.</summary>
    public TrainingHistory Run(Func<IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)>> epochBatches, CancellationToken cancellationToken)
    {
        using ExclusiveUse.Scope training = Start();
        try
        {
            while (BeginEpoch(cancellationToken))
            {
                foreach ((Matrix<T> inputs, Matrix<T> targets) in epochBatches())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!SkipDoneBatch())
                    {
                        Step(inputs, targets);
                        CheckpointWithinEpoch();
                    }
                }

                EndEpoch();
            }

            return Finish();
        }
        catch (OperationCanceledException cancellation) when (cancellation is not TrainingCanceledException)
        {
            throw Canceled(cancellation);
        }
        finally
        {
            _updater?.EndTraining();
        }
    }

    /// <summary>Trains on batches produced asynchronously, enumerated afresh every epoch.</summary>
    public async Task<TrainingHistory> RunAsync(IAsyncEnumerable<DataBatch<T>> batches, CancellationToken cancellationToken)
    {
        using ExclusiveUse.Scope training = Start();
        try
        {
            while (BeginEpoch(cancellationToken))
            {
                await foreach (DataBatch<T> batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!SkipDoneBatch())
                    {
                        (Matrix<T> inputs, Matrix<T> targets) = Checked(batch);
                        Step(inputs, targets);
                        CheckpointWithinEpoch();
                    }
                }

                EndEpoch();
            }

            return Finish();
        }
        catch (OperationCanceledException cancellation) when (cancellation is not TrainingCanceledException)
        {
            throw Canceled(cancellation);
        }
        finally
        {
            _updater?.EndTraining();
        }
    }

    /// <summary>One update on a batch: backpropagation (with the step fused into it where the rule allows) and the rule's step.</summary>
    /// <returns>The batch-mean loss before the update.</returns>
    public T Step(Matrix<T> inputs, Matrix<T> targets)
    {
        if (!_scaleChecked)
        {
            // Once per run, at its first batch, before that batch can diverge: a likely cause to name if it does.
            _scaleChecked = true;
            _pendingWarning = ScaleCheck.Warning(inputs, targets, _network.Loss.IsClassification);
            _guard.Hint = _pendingWarning;
        }

        _step++;
        ParameterUpdater<T> updater = _updater!;
        updater.BeginStep(_learningRate);
        T loss = _network.BackpropagateCore(inputs, targets, _context);
        _guard.CheckLoss(loss, _epoch, _step);
        updater.EndStep(_learningRate);
        _lossSum += double.CreateChecked(loss) * inputs.RowCount;
        _samples += inputs.RowCount;
        _correct += _network.LastCorrect;
        _stepProgress?.Stepped(_epoch, _step, _samples, _started);
        return loss;
    }

    /// <summary>Takes the network for this training and makes the run's updater.</summary>
    internal ExclusiveUse.Scope Start()
    {
        ExclusiveUse.Scope scope = _network.Use.Enter();
        _updater = _state.StartUpdater(_options.UpdateRule, _network.Parameters, _options.WeightDecay);
        _updater.ClipNorm = _options.ClipGradientNorm;
        _updater.ClipValue = _options.ClipGradientValue;
        _stepProgress?.Started(_options.Epochs);
        _lastCheckpoint = Stopwatch.GetTimestamp();
        return scope;
    }

    /// <summary>Starts the next epoch, if there is one: its learning rate, and the weights to fall back to.</summary>
    internal bool BeginEpoch(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stopped || _epoch >= _options.Epochs)
        {
            return false;
        }

        _epoch++;
        _step = 0;
        _lossSum = 0;
        _samples = 0;
        _correct = 0;
        _started = Stopwatch.GetTimestamp();
        _rate = _options.Schedule.Rate(_options.LearningRate, _epoch, _options.Epochs);
        if (_plateau is not null)
        {
            _rate = _plateau.Rate(_rate);
        }

        _learningRate = T.CreateChecked(_rate);
        _guard.RememberEpochStart();
        _epochStartRandom = _state.Random.State;
        if (_resumeAt is { } position)
        {
            ResumeWithin(position);
        }

        return true;
    }

    /// <summary>Ends the epoch: checks the weights, validates, records, tracks early stopping, checkpoints and reports.</summary>
    private void EndEpoch()
    {
        if (_skip > 0)
        {
            throw new ArgumentException($"The checkpoint was written after {_step} updates of epoch {_epoch}, but the data gave only {_step - _skip} batches in that epoch; resume with the data of the interrupted run.", "batches");
        }

        if (_samples == 0)
        {
            throw new ArgumentException($"Expected at least one training sample in epoch {_epoch}, but the data source produced none.", "batches");
        }

        _updatesBefore += _step;

        _guard.CheckWeights(_epoch, _step);
        EpochRecord record = Validate(_lossSum / _samples) with { Elapsed = Stopwatch.GetElapsedTime(_started) };
        _state.History.Add(record);
        _state.CompletedEpochs = _epoch;
        _plateau?.Observe(record);
        if (_options.EarlyStopping is { } early)
        {
            _stopped = _state.EarlyStopping.Observe(early, record, _network.Parameters);
        }

        if (_options.Checkpoint is { } checkpoint && (_epoch % checkpoint.EveryEpochs == 0 || _epoch == _options.Epochs || _stopped))
        {
            CheckpointFile.Save(checkpoint.Path, _network, _options.UpdateRule, _state);
            _lastCheckpoint = Stopwatch.GetTimestamp();
        }

        _options.OnEpoch?.Invoke(record);
        if (_options.Progress is { } progress)
        {
            // A Progress<T> posts the report to another thread, where the handler runs while later epochs train.
            // Without the training's execution context it is one more thread to the network, which refuses it, instead
            // of a callback of the training, allowed to read weights that change under it.
            if (ExecutionContext.IsFlowSuppressed())
            {
                progress.Report(record);
            }
            else
            {
                using AsyncFlowControl suppressed = ExecutionContext.SuppressFlow();
                progress.Report(record);
            }
        }
    }
}
