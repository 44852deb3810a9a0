using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Samples and their targets, held in memory: features (samples × features) and targets (samples × outputs),
/// plus, for classification, the class label of each sample (targets are then its one-hot encoding).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>Create one with the factories of <see cref="Dataset"/>. A dataset is immutable: splitting, shuffling and scaling return new datasets. It is safe to read from many threads.</remarks>
public sealed partial class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[]? _labels;
    private readonly object _gate = new();
    private Matrix<T>? _features;
    private T[]? _sampleRows;

    internal Dataset(Matrix<T> features, Matrix<T> targets, int[]? labels, int classCount, IReadOnlyList<string>? classNames)
    {
        _features = features;
        Count = features.RowCount;
        FeatureCount = features.ColumnCount;
        Targets = targets;
        _labels = labels;
        ClassCount = classCount;
        ClassNames = classNames;
    }

    /// <summary>
    /// A dataset whose features are held sample by sample (row-major), as a loader reads them: training gathers its
    /// batches from them directly, and the column-major <see cref="Features"/> matrix is only made when first read,
    /// so that training on a loaded dataset holds its samples once.
    /// </summary>
    internal Dataset(T[] sampleRows, int count, int featureCount, Matrix<T> targets, int[]? labels, int classCount, IReadOnlyList<string>? classNames)
    {
        _sampleRows = sampleRows;
        Count = count;
        FeatureCount = featureCount;
        Targets = targets;
        _labels = labels;
        ClassCount = classCount;
        ClassNames = classNames;
    }

    /// <summary>The inputs, samples × features.</summary>
    /// <remarks>A loaded dataset makes this matrix when it is first read, and from then on holds its samples this way only.</remarks>
    public Matrix<T> Features => Volatile.Read(ref _features) ?? MakeFeatures();

    /// <summary>The targets, samples × outputs: one-hot rows for classification.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>The class of each sample, or null for a regression dataset.</summary>
    public IReadOnlyList<int>? Labels => _labels;

    /// <summary>The number of classes, or 0 for a regression dataset.</summary>
    public int ClassCount { get; }

    /// <summary>
    /// The class names (index = class): the labels of a CSV class column as the file wrote them (integers by their
    /// value, so labels 1 to 3 give "1", "2", "3" for classes 0, 1, 2; see <see cref="Csv"/>), or the names given to
    /// <see cref="Dataset.ForClassification{T}(Matrix{T}, IReadOnlyList{int}, int?, IReadOnlyList{string}?)"/>; null when there are none.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// The names of the feature columns (index = feature), from the header of the CSV file the dataset was read from;
    /// null when the file had no header or the dataset was not read from a file. Kept by <see cref="Subset"/>,
    /// <see cref="Shuffle"/>, <see cref="Split"/>, <see cref="SplitThreeWays"/> and by <see cref="WithFeatures"/> when the feature count stays.
    /// </summary>
    public IReadOnlyList<string>? FeatureNames { get; internal init; }

    /// <summary>
    /// The value each feature column's empty cells were filled with (index = feature, in the file's units, before any
    /// scaling) when the CSV file was read with a fill (<see cref="CsvOptions.EmptyCells"/>), for every column whether or not it had an empty cell; null when
    /// empty cells were refused. Give them to other files of the same table (<see cref="CsvOptions.LikeTraining{T}"/>)
    /// and to the samples a served model sees, so they are filled the same way. Kept like <see cref="FeatureNames"/>.
    /// </summary>
    public IReadOnlyList<T>? FillValues { get; internal init; }

    /// <summary>True when the dataset has class labels.</summary>
    public bool IsClassification => _labels is not null;

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Sample indices in [0, <see cref="Count"/>), at least one.</param>
    /// <returns>A new dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The subset's features or targets would be more than one array holds (indices may repeat); checked before anything is allocated.</exception>
    /// <exception cref="ArgumentException">No indices, or an index out of range.</exception>
    public Dataset<T> Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new ArgumentException("Expected at least one index, but got none.", nameof(indices));
        }

        // Both sizes before either matrix: otherwise the features could be allocated in full for targets then refused.
        Guard.MatrixSize(indices.Count, FeatureCount, $"A subset of {indices.Count} samples with {FeatureCount} features each", nameof(indices));
        Guard.MatrixSize(indices.Count, Targets.ColumnCount, $"A subset of {indices.Count} samples with {Targets.ColumnCount} targets each", nameof(indices));

        foreach (int index in indices)
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentException($"Expected indices in [0, {Count - 1}], but got {index}.", nameof(indices));
            }
        }

        Matrix<T> features = Rows(Features, indices);
        Matrix<T> targets = Rows(Targets, indices);
        int[]? labels = _labels is null ? null : [.. indices.Select(i => _labels[i])];
        return new Dataset<T>(features, targets, labels, ClassCount, ClassNames) { FeatureNames = FeatureNames, FillValues = FillValues };
    }

    /// <summary>The same samples in a random order drawn from <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed; the same seed gives the same order.</param>
    /// <returns>A new dataset.</returns>
    public Dataset<T> Shuffle(int seed)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        new RandomSource(seed).Shuffle(order);
        return Subset(order);
    }

    /// <summary>The same targets and labels with other features (used by scalers).</summary>
    /// <param name="features">Samples × features, one row per sample of this dataset.</param>
    /// <returns>A new dataset.</returns>
    /// <exception cref="ArgumentException">The row count differs.</exception>
    public Dataset<T> WithFeatures(Matrix<T> features)
    {
        Guard.NotEmpty(features, nameof(features));
        if (features.RowCount != Count)
        {
            throw new ArgumentException($"Expected {Count} rows of features, but got {features.RowCount}.", nameof(features));
        }

        // The names and fills describe the columns: they stay when the columns do (a scaler), not otherwise.
        bool sameColumns = features.ColumnCount == FeatureCount;
        return new Dataset<T>(Storage.Dense(features).Clone(), Targets, _labels, ClassCount, ClassNames)
        {
            FeatureNames = sameColumns ? FeatureNames : null,
            FillValues = sameColumns ? FillValues : null,
        };
    }

    /// <summary>The samples in consecutive batches (copies), the last one smaller when the count is not a multiple.</summary>
    /// <param name="batchSize">Samples per batch, positive.</param>
    /// <returns>A lazily produced sequence of batches.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public IEnumerable<DataBatch<T>> Batches(int batchSize)
    {
        Guard.Positive(batchSize, nameof(batchSize));
        return Iterate();

        IEnumerable<DataBatch<T>> Iterate()
        {
            for (int start = 0; start < Count; start += batchSize)
            {
                int size = Math.Min(batchSize, Count - start);
                yield return new DataBatch<T>(Features.SubMatrix(start, size, 0, FeatureCount), Targets.SubMatrix(start, size, 0, Targets.ColumnCount));
            }
        }
    }

    private static Matrix<T> Rows(Matrix<T> source, IReadOnlyList<int> indices)
    {
        ReadOnlySpan<T> from = Storage.Of(source);
        Matrix<T> result = Storage.NewDense<T>(indices.Count, source.ColumnCount);
        Span<T> to = Storage.Of(result);
        int rows = source.RowCount;
        for (int j = 0; j < source.ColumnCount; j++)
        {
            for (int i = 0; i < indices.Count; i++)
            {
                to[(j * indices.Count) + i] = from[(j * rows) + indices[i]];
            }
        }

        return result;
    }
}
