using System.Collections;
using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// The batches of a CSV file, read lazily by <see cref="Csv.ReadBatches{T}"/>: every enumeration reads the file once,
/// from the start, holding one batch; <c>network.Fit(batches, …)</c> takes them as they are, one epoch per enumeration.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// A batch is valid until its enumeration moves on: full batches share one set of matrices per enumeration (see
/// <see cref="Csv.ReadBatches{T}"/>). The properties describe what the batches hold, so a network can be built for
/// them before the first batch is read. Enumerating from several threads at once is safe (each enumeration is
/// independent); an enumerator itself is not shared.
/// </remarks>
public sealed class CsvBatches<T> : IEnumerable<DataBatch<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _fills;

    internal CsvBatches(string path, int batchSize, CsvOptions options, CsvLayout layout, CsvClassMap? classes, T[]? fills)
    {
        int outputs = classes?.Names.Count ?? layout.TargetCount;
        Guard.MatrixSize(batchSize, layout.FeatureCount, $"A batch of {batchSize} rows of {layout.FeatureCount} features", nameof(batchSize));
        Guard.MatrixSize(batchSize, outputs, $"A batch of {batchSize} rows of {outputs} targets", nameof(batchSize));
        Path = path;
        BatchSize = batchSize;
        Options = options;
        Layout = layout;
        Classes = classes;
        _fills = fills;
        Fill = fills is null ? CsvFill<T>.Of(options, layout) : CsvFill<T>.WithValues(fills, layout, options.MissingValues);
        TargetCount = outputs;
        FeatureNames = layout.FeatureNames();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Rows per batch; the last batch of an enumeration may hold fewer.</summary>
    public int BatchSize { get; }

    /// <summary>The number of features: the column count of every batch's inputs.</summary>
    public int FeatureCount => Layout.FeatureCount;

    /// <summary>The column count of every batch's targets: the class count for a classification, the number of target columns otherwise.</summary>
    public int TargetCount { get; }

    /// <summary>True when the targets are one-hot class rows.</summary>
    public bool IsClassification => Classes is not null;

    /// <summary>The number of classes, or 0 for regression targets.</summary>
    public int ClassCount => Classes?.Names.Count ?? 0;

    /// <summary>The class names (index = class), as for <see cref="Dataset{T}.ClassNames"/>; null for regression targets.</summary>
    public IReadOnlyList<string>? ClassNames => Classes?.Names;

    /// <summary>The header names of the features (index = feature), or null when the file is read without a header.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>
    /// The value each feature column's empty cells are filled with (index = feature), as for
    /// <see cref="Dataset{T}.FillValues"/> (under <see cref="CsvEmptyCells.FillWithMean"/>, the means of the whole file,
    /// from the first pass); null when empty cells are refused.
    /// </summary>
    public IReadOnlyList<T>? FillValues => _fills;

    internal CsvOptions Options { get; }

    internal CsvLayout Layout { get; }

    internal CsvClassMap? Classes { get; }

    internal CsvFill<T> Fill { get; }

    /// <summary>Starts reading the file from its beginning.</summary>
    /// <returns>An enumerator that owns an open file and its batch matrices; dispose it (foreach does).</returns>
    /// <exception cref="FileNotFoundException">The file no longer exists.</exception>
    public IEnumerator<DataBatch<T>> GetEnumerator() => new CsvBatchReader<T>(this);

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
