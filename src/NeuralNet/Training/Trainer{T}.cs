using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Runs the training loop: each epoch, shuffle, cut batches, and for each batch gather its rows, let the
/// network backpropagate, and let the update rule step every parameter. It orchestrates only: gradients come
/// from the network and optimiser state lives in the rule.
/// </summary>
internal sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly Matrix<T> _inputs;
    private readonly Matrix<T> _targets;
    private readonly TrainingOptions _options;
    private readonly RandomSource _random;
    private readonly int[] _order;
    private readonly BufferCache<Batch> _batches;

    public Trainer(Network<T> network, Matrix<T> inputs, Matrix<T> targets, TrainingOptions options)
    {
        _network = network;
        _inputs = inputs;
        _targets = targets;
        _options = options;
        _random = new RandomSource(options.Seed);
        _order = new int[inputs.RowCount];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _batches = new BufferCache<Batch>(rows => new Batch(rows, inputs.ColumnCount, targets.ColumnCount));
    }

    public TrainingHistory Run()
    {
        int samples = _order.Length;
        GradientDescent descent = _options.GradientDescent;
        int batchSize = descent.BatchSize(samples);
        T learningRate = T.CreateChecked(_options.LearningRate);
        var history = new List<EpochRecord>(_options.Epochs);
        IReadOnlyList<Parameter<T>> parameters = _network.Parameters;

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            long started = Stopwatch.GetTimestamp();
            if (descent.Shuffles)
            {
                _random.Shuffle(_order);
            }

            double lossSum = 0;
            int updates = 0;
            for (int start = 0; start < samples; start += batchSize)
            {
                int size = Math.Min(batchSize, samples - start);
                Batch batch = Gather(_order.AsSpan(start, size));
                T loss = _network.BackpropagateCore(batch.Inputs, batch.Targets);
                for (int p = 0; p < parameters.Count; p++)
                {
                    _options.UpdateRule.Apply(parameters[p], learningRate);
                }

                lossSum += double.CreateChecked(loss) * size;
                updates++;
            }

            var record = new EpochRecord(epoch, lossSum / samples, updates, Stopwatch.GetElapsedTime(started));
            history.Add(record);
            _options.Progress?.Report(record);
        }

        return new TrainingHistory(history);
    }

    /// <summary>Copies the rows named by <paramref name="indices"/> into the batch buffers of that size.</summary>
    private Batch Gather(ReadOnlySpan<int> indices)
    {
        Batch batch = _batches.Get(indices.Length);
        Copy(Storage.Of(_inputs), _inputs.RowCount, indices, Storage.Of(batch.Inputs));
        Copy(Storage.Of(_targets), _targets.RowCount, indices, Storage.Of(batch.Targets));
        return batch;
    }

    private static void Copy(ReadOnlySpan<T> source, int sourceRows, ReadOnlySpan<int> indices, Span<T> destination)
    {
        int rows = indices.Length;
        int columns = destination.Length / rows;
        for (int j = 0; j < columns; j++)
        {
            ReadOnlySpan<T> from = source.Slice(j * sourceRows, sourceRows);
            Span<T> to = destination.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                to[i] = from[indices[i]];
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
