using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// The batches of an epoch over data held in memory: the samples reshuffled with the training's generator when the
/// gradient descent shuffles, then cut into batches of its size (the last one smaller when the sizes do not divide)
/// and gathered into buffers reused from epoch to epoch. A batch of every sample is the data itself, unshuffled.
/// </summary>
internal sealed class InMemoryBatches<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T>? _inputs;
    private readonly Matrix<T> _targets;
    private readonly GradientDescent _descent;
    private readonly int _batchSize;
    private readonly bool _wholeSet;
    private readonly int[] _order;
    private readonly T[]? _inputRows;
    private readonly T[]? _targetRows;
    private readonly BufferCache<Batch> _batches;
    private readonly int _inputColumns;

    public InMemoryBatches(Matrix<T> inputs, Matrix<T> targets, GradientDescent descent)
    {
        _inputs = Storage.Dense(inputs);
        _targets = Storage.Dense(targets);
        _descent = descent;
        int samples = inputs.RowCount;
        _batchSize = descent.BatchSize(samples);
        // A batch holding every sample has the same gradient in any order (a sum over the samples), so shuffling it
        // would only spend a copy of the data per epoch and a pass of the generator.
        _wholeSet = _batchSize == samples;
        _order = [.. Enumerable.Range(0, samples)];

        // Matrices keep each feature's column contiguous, so one sample's values lie a whole column apart. A copy
        // with each sample's values side by side turns the per-batch gather into contiguous reads.
        _inputRows = _wholeSet ? null : RowMajor(_inputs);
        _targetRows = _wholeSet ? null : RowMajor(_targets);
        _inputColumns = inputs.ColumnCount;
        _batches = new BufferCache<Batch>(rows => new Batch(rows, inputs.ColumnCount, targets.ColumnCount));
    }

    /// <summary>
    /// The batches over samples already held row by row (<paramref name="inputColumns"/> values each), gathered from
    /// them directly; the batch size must be below the sample count (a whole set is a matrix, not a gather).
    /// </summary>
    public InMemoryBatches(T[] inputRows, int inputColumns, Matrix<T> targets, GradientDescent descent)
    {
        int samples = targets.RowCount;
        if ((long)samples * inputColumns != inputRows.Length)
        {
            throw new ArgumentException($"Expected {samples} samples of {inputColumns} values, {(long)samples * inputColumns} in all, but got {inputRows.Length}.", nameof(inputRows));
        }

        _targets = Storage.Dense(targets);
        _descent = descent;
        _batchSize = descent.BatchSize(samples);
        if (_batchSize == samples)
        {
            throw new ArgumentException($"A batch of all {samples} samples is the data matrix itself, not a gather.", nameof(descent));
        }

        _order = [.. Enumerable.Range(0, samples)];
        _inputRows = inputRows;
        _targetRows = RowMajor(_targets);
        _inputColumns = inputColumns;
        _batches = new BufferCache<Batch>(rows => new Batch(rows, inputColumns, targets.ColumnCount));
    }

    /// <summary>One epoch's batches; each is only valid until the next is taken.</summary>
    public IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)> Epoch(RandomSource random)
    {
        if (_wholeSet)
        {
            yield return (_inputs!, _targets);
            yield break;
        }

        if (_descent.Shuffles)
        {
            // Each epoch shuffles the identity afresh, so its order depends on the generator's state alone;
            // a checkpoint holding that state resumes with exactly the same batches.
            for (int i = 0; i < _order.Length; i++)
            {
                _order[i] = i;
            }

            random.Shuffle(_order);
        }

        for (int start = 0; start < _order.Length; start += _batchSize)
        {
            int size = Math.Min(_batchSize, _order.Length - start);
            Batch batch = _batches.Get(size);
            Gather(_inputRows!, _inputColumns, _order.AsSpan(start, size), batch.Inputs);
            Gather(_targetRows!, _targets.ColumnCount, _order.AsSpan(start, size), batch.Targets);
            yield return (batch.Inputs, batch.Targets);
        }
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
    /// <paramref name="destination"/>, sixteen samples at a time: their rows are read as sixteen sequential streams
    /// (which the prefetcher follows) while the writes to each column stay within a cache line.
    /// </summary>
    private static unsafe void Gather(T[] rows, int columns, ReadOnlySpan<int> indices, Matrix<T> destination)
    {
        const int Group = 16;
        Span<T> to = Storage.Of(destination);
        int count = indices.Length;
        if ((long)count * columns > to.Length)
        {
            throw new InvalidOperationException($"A batch of {count} samples × {columns} values does not fit a buffer of {to.Length}.");
        }

        T** starts = stackalloc T*[Group];
        fixed (T* source = rows)
        fixed (T* target = to)
        {
            for (int r0 = 0; r0 < count; r0 += Group)
            {
                int group = Math.Min(Group, count - r0);
                for (int r = 0; r < group; r++)
                {
                    // The indices come from the batch order, a permutation of the rows: each start lies inside rows.
                    starts[r] = source + ((long)indices[r0 + r] * columns);
                }

                T* column = target + r0;
                for (int j = 0; j < columns; j++, column += count)
                {
                    for (int r = 0; r < group; r++)
                    {
                        column[r] = starts[r][j];
                    }
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
