using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Internal;
using NeuralNet.Losses;
using NeuralNet.Persistence;

namespace NeuralNet.Training;

/// <summary>
/// Runs the training loop: each epoch, cut the data into batches (shuffled, from memory, or as a stream arrives),
/// and for each batch let the network backpropagate and the update rule step every parameter; then validate,
/// report, check early stopping and save a checkpoint. It orchestrates only: gradients come from the network and
/// optimiser state lives in the rule.
/// </summary>
internal sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly TrainingOptions _options;
    private readonly TrainingState<T> _state;
    private readonly IReadOnlyList<Parameter<T>> _parameters;
    private readonly T _weightDecay;
    private BufferCache<Batch>? _batches;
    private T[][]? _epochStart;
    private int _epoch;
    private int _step;
    private int[]? _order;

    public Trainer(Network<T> network, TrainingOptions options, TrainingState<T> state)
    {
        _network = network;
        _options = options;
        _state = state;
        _parameters = network.Parameters;
        _weightDecay = T.CreateChecked(options.WeightDecay);
    }

    /// <summary>Trains on data held in memory: <paramref name="inputs"/> and network-shaped <paramref name="targets"/>.</summary>
    public TrainingHistory Run(Matrix<T> inputs, Matrix<T> targets, (Matrix<T> Inputs, Matrix<T> Targets)? validation, CancellationToken cancellationToken)
    {
        int samples = inputs.RowCount;
        _order ??= [.. Enumerable.Range(0, samples)];
        _batches ??= new BufferCache<Batch>(rows => new Batch(rows, inputs.ColumnCount, targets.ColumnCount));
        GradientDescent descent = _options.GradientDescent;
        int batchSize = descent.BatchSize(samples);
        bool wholeSet = batchSize == samples && !descent.Shuffles;

        // Matrices keep each feature's column contiguous, so one sample's values lie a whole column apart. A copy
        // with each sample's values side by side turns the per-batch gather into contiguous reads.
        T[]? inputRows = wholeSet ? null : RowMajor(inputs);
        T[]? targetRows = wholeSet ? null : RowMajor(targets);

        (double, int, int) Epoch(T learningRate)
        {
            if (descent.Shuffles)
            {
                // Each epoch shuffles the identity afresh, so its order depends on the generator's state alone;
                // a checkpoint holding that state resumes with exactly the same batches.
                for (int i = 0; i < _order.Length; i++)
                {
                    _order[i] = i;
                }

                _state.Random.Shuffle(_order);
            }

            double lossSum = 0;
            int updates = 0;
            for (int start = 0; start < samples; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = Math.Min(batchSize, samples - start);
                if (wholeSet)
                {
                    // Batch descent without shuffling uses every sample in order: the data itself is the batch.
                    lossSum += Step(inputs, targets, learningRate) * size;
                    updates++;
                    continue;
                }

                Batch batch = _batches.Get(size);
                Gather(inputRows!, inputs.ColumnCount, _order.AsSpan(start, size), batch.Inputs);
                Gather(targetRows!, targets.ColumnCount, _order.AsSpan(start, size), batch.Targets);
                lossSum += Step(batch.Inputs, batch.Targets, learningRate) * size;
                updates++;
            }

            return (lossSum, samples, updates);
        }

        return Complete(Loop(lr => ValueTask.FromResult(Epoch(lr)), validation, cancellationToken));
    }

    /// <summary>Trains on batches produced by <paramref name="batches"/>, enumerated afresh every epoch.</summary>
    public TrainingHistory Run(IEnumerable<DataBatch<T>> batches, (Matrix<T> Inputs, Matrix<T> Targets)? validation, CancellationToken cancellationToken)
    {
        (double, int, int) Epoch(T learningRate)
        {
            double lossSum = 0;
            int samples = 0;
            int updates = 0;
            foreach (DataBatch<T> batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (Matrix<T> x, Matrix<T> y) = Checked(batch, updates);
                lossSum += Step(x, y, learningRate) * x.RowCount;
                samples += x.RowCount;
                updates++;
            }

            return (lossSum, samples, updates);
        }

        return Complete(Loop(lr => ValueTask.FromResult(Epoch(lr)), validation, cancellationToken));
    }

    /// <summary>Trains on batches produced asynchronously by <paramref name="batches"/>, enumerated afresh every epoch.</summary>
    public async Task<TrainingHistory> RunAsync(IAsyncEnumerable<DataBatch<T>> batches, (Matrix<T> Inputs, Matrix<T> Targets)? validation, CancellationToken cancellationToken)
    {
        async ValueTask<(double, int, int)> Epoch(T learningRate)
        {
            double lossSum = 0;
            int samples = 0;
            int updates = 0;
            await foreach (DataBatch<T> batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                (Matrix<T> x, Matrix<T> y) = Checked(batch, updates);
                lossSum += Step(x, y, learningRate) * x.RowCount;
                samples += x.RowCount;
                updates++;
            }

            return (lossSum, samples, updates);
        }

        return await Loop(Epoch, validation, cancellationToken).ConfigureAwait(false);
    }

    private static TrainingHistory Complete(ValueTask<TrainingHistory> run)
        => run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();

    /// <summary>The epoch loop shared by every data source; <paramref name="epoch"/> runs one epoch's updates.</summary>
    private async ValueTask<TrainingHistory> Loop(
        Func<T, ValueTask<(double LossSum, int Samples, int Updates)>> epoch,
        (Matrix<T> Inputs, Matrix<T> Targets)? validation,
        CancellationToken cancellationToken)
    {
        EarlyStopping? early = _options.EarlyStopping;
        // A run resumed from a checkpoint written when early stopping ended it stays ended.
        bool stoppedEarly = early is not null && _state.EpochsWithoutImprovement >= early.Patience;
        for (int e = _state.CompletedEpochs + 1; e <= _options.Epochs && !stoppedEarly; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long started = Stopwatch.GetTimestamp();
            double rate = _options.Schedule.Rate(_options.LearningRate, e, _options.Epochs);
            RememberEpochStart(e);
            (double lossSum, int samples, int updates) = await epoch(T.CreateChecked(rate)).ConfigureAwait(false);
            if (samples == 0)
            {
                throw new ArgumentException($"Expected at least one training sample in epoch {e}, but the data source produced none.", nameof(epoch));
            }

            EpochRecord record = Validate(e, lossSum / samples, rate, updates, validation) with { Elapsed = Stopwatch.GetElapsedTime(started) };
            _state.History.Add(record);
            _state.CompletedEpochs = e;
            if (early is not null)
            {
                stoppedEarly = TrackEarlyStopping(early, record);
            }

            if (_options.Checkpoint is { } checkpoint && (e % checkpoint.EveryEpochs == 0 || e == _options.Epochs || stoppedEarly))
            {
                TrainingCheckpoint.Save(checkpoint.Path, _network, _options.UpdateRule, _state);
            }

            _options.Progress?.Report(record);
        }

        if (early is { RestoreBestWeights: true } && _state.BestWeights is { } best)
        {
            for (int p = 0; p < _parameters.Count; p++)
            {
                best[p].CopyTo(_parameters[p].Values);
            }
        }

        return new TrainingHistory([.. _state.History], early is null ? null : _state.BestEpoch, stoppedEarly);
    }

    private double Step(Matrix<T> inputs, Matrix<T> targets, T learningRate)
    {
        _step++;
        if (_options.UpdateRule.IsPlainStep && _weightDecay == T.Zero)
        {
            // Plain descent needs no state and no stored gradient: each layer applies its step as it backpropagates.
            return Checked(_network.BackpropagateAndDescend(inputs, targets, learningRate));
        }

        T loss = _network.BackpropagateCore(inputs, targets);
        Checked(loss);
        if (_weightDecay > T.Zero)
        {
            _network.AddWeightDecay(_weightDecay);
        }

        UpdateRules.UpdateRule rule = _options.UpdateRule;
        for (int p = 0; p < _parameters.Count; p++)
        {
            rule.Apply(_parameters[p], learningRate);
        }

        return double.CreateChecked(loss);
    }

    /// <summary>
    /// Copies the weights at the start of an epoch, the point training falls back to if it diverges. An update can
    /// overflow a weight while its own loss was still finite; such weights are caught here, before they are kept.
    /// </summary>
    private void RememberEpochStart(int epoch)
    {
        for (int l = 0; l < _network.Layers.Count; l++)
        {
            foreach (Parameter<T> parameter in _network.Layers[l].Parameters)
            {
                foreach (T value in parameter.Values)
                {
                    if (!T.IsFinite(value))
                    {
                        Diverged(l, double.NaN);
                    }
                }
            }
        }

        _epoch = epoch;
        _step = 0;
        _epochStart ??= [.. _parameters.Select(p => new T[p.Length])];
        for (int p = 0; p < _parameters.Count; p++)
        {
            _parameters[p].Values.CopyTo(_epochStart[p]);
        }
    }

    /// <summary>Returns a finite loss; on a non-finite one restores the epoch's starting weights and throws.</summary>
    private double Checked(T loss)
    {
        if (T.IsFinite(loss))
        {
            return double.CreateChecked(loss);
        }

        Diverged(_network.FirstNonFiniteLayer(), double.CreateChecked(loss));
        return double.NaN;
    }

    /// <summary>Restores the weights of the current epoch's start and throws, naming where training diverged.</summary>
    private void Diverged(int layer, double loss)
    {
        if (_epochStart is not null)
        {
            for (int p = 0; p < _parameters.Count; p++)
            {
                _epochStart[p].CopyTo(_parameters[p].Values);
            }
        }

        throw new TrainingDivergedException(_epoch, _step, layer, _network.Layers[layer].ToString() ?? "layer", loss);
    }

    private EpochRecord Validate(int epoch, double loss, double rate, int updates, (Matrix<T> Inputs, Matrix<T> Targets)? validation)
    {
        var record = new EpochRecord { Epoch = epoch, Loss = loss, LearningRate = rate, Updates = updates, Elapsed = TimeSpan.Zero };
        if (validation is not { } data)
        {
            return record;
        }

        Matrix<T> raw = _network.Infer(data.Inputs);
        double validationLoss = double.CreateChecked(_network.Loss.Compute(raw, data.Targets));
        if (_network.Loss is MeanSquaredError)
        {
            return record with { ValidationLoss = validationLoss, ValidationRSquared = Metrics.RSquared(data.Targets, raw) };
        }

        int[] predicted = _network.Classes(_network.Loss.Transform(raw));
        int[] expected = _network.Classes(data.Targets);
        return record with { ValidationLoss = validationLoss, ValidationAccuracy = Metrics.Accuracy(expected, predicted) };
    }

    /// <summary>Updates the early-stopping tracker with this epoch; returns true when training should stop.</summary>
    private bool TrackEarlyStopping(EarlyStopping early, EpochRecord record)
    {
        double monitored = record.ValidationLoss ?? record.Loss;
        if (monitored < _state.BestLoss - early.MinimumImprovement)
        {
            _state.BestLoss = monitored;
            _state.BestEpoch = record.Epoch;
            _state.EpochsWithoutImprovement = 0;
            if (early.RestoreBestWeights)
            {
                _state.BestWeights ??= [.. _parameters.Select(p => new T[p.Length])];
                for (int p = 0; p < _parameters.Count; p++)
                {
                    _parameters[p].Values.CopyTo(_state.BestWeights[p]);
                }
            }

            return false;
        }

        _state.EpochsWithoutImprovement++;
        return _state.EpochsWithoutImprovement >= early.Patience;
    }

    private (Matrix<T> Inputs, Matrix<T> Targets) Checked(DataBatch<T> batch, int index)
    {
        ArgumentNullException.ThrowIfNull(batch, "batches");
        string name = $"batch {index}";
        Guard.NotEmpty(batch.Inputs, name);
        ArgumentNullException.ThrowIfNull(batch.Targets, name);
        Guard.Columns(batch.Inputs, _network.InputSize, $"Network({_network.InputSize}→{_network.OutputSize})", $"{name} inputs");
        Guard.Columns(batch.Targets, _network.OutputSize, $"Network({_network.InputSize}→{_network.OutputSize})", $"{name} targets");
        Guard.SameRowCount(batch.Inputs, batch.Targets.RowCount, $"{name} targets");
        Guard.Finite(batch.Inputs, $"{name} inputs");
        Guard.Finite(batch.Targets, $"{name} targets");
        return (Storage.Dense(batch.Inputs), Storage.Dense(batch.Targets));
    }

    /// <summary>The matrix's values with each row's values side by side (row-major).</summary>
    private static T[] RowMajor(Matrix<T> matrix)
    {
        ReadOnlySpan<T> from = Storage.Of(matrix);
        int rows = matrix.RowCount;
        int columns = matrix.ColumnCount;
        var result = new T[from.Length];
        for (int j = 0; j < columns; j++)
        {
            ReadOnlySpan<T> column = from.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                result[(i * columns) + j] = column[i];
            }
        }

        return result;
    }

    /// <summary>
    /// Copies the rows named by <paramref name="indices"/> from row-major <paramref name="rows"/> into the column-major
    /// <paramref name="destination"/>, sixteen samples at a time so the writes to each column stay within a cache line.
    /// </summary>
    private static void Gather(T[] rows, int columns, ReadOnlySpan<int> indices, Matrix<T> destination)
    {
        const int Group = 16;
        Span<T> to = Storage.Of(destination);
        Span<int> starts = stackalloc int[Group];
        int count = indices.Length;
        for (int r0 = 0; r0 < count; r0 += Group)
        {
            int r1 = Math.Min(count, r0 + Group);
            for (int r = r0; r < r1; r++)
            {
                starts[r - r0] = indices[r] * columns;
            }

            // Column by column, the group's samples are read as parallel sequential streams and written side by side.
            for (int j = 0; j < columns; j++)
            {
                Span<T> target = to.Slice((j * count) + r0, r1 - r0);
                for (int r = 0; r < target.Length; r++)
                {
                    target[r] = rows[starts[r] + j];
                }
            }
        }
    }

    /// <summary>The gathered inputs and targets of one batch size.</summary>
    private sealed class Batch(int rows, int inputColumns, int targetColumns)
    {
        public Matrix<T> Inputs { get; } = Storage.NewDense<T>(rows, inputColumns);

        public Matrix<T> Targets { get; } = Storage.NewDense<T>(rows, targetColumns);
    }
}
