using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Reads datasets from CSV text: one sample per line, numeric features, and a class column or numeric target columns.
/// Numbers are parsed with the invariant culture (a '.' decimal point) whatever the machine's culture.
/// </summary>
/// <remarks>
/// <para>
/// <b>Text.</b> Fields may be quoted with '"' (a doubled quote inside stands for one); quoted fields do not span lines,
/// and only whitespace may stand between a quote and the separator. A quote inside an unquoted field, text after a
/// closing quote, and control characters other than tab (and the separator) are malformed wherever they stand, in
/// ignored columns too. Blank lines are skipped. Any malformed content throws <see cref="DataFormatException"/> naming
/// the line and column.
/// </para>
/// <para>
/// <b>Columns</b> (<see cref="CsvOptions"/>): the target is the last column unless chosen; columns may be ignored (an
/// id, free text) or the features chosen, by header name or index. <see cref="Dataset{T}.FeatureNames"/> keeps the
/// header names of the features.
/// </para>
/// <para>
/// <b>Empty cells</b> in a feature column are refused by default, naming line and column; they may be filled with the
/// column's mean over the file's non-empty cells, a constant, or given values (<see cref="CsvOptions.EmptyCells"/>), and
/// the values used are returned (<see cref="Dataset{T}.FillValues"/>). Empty targets are always refused.
/// </para>
/// <para>
/// <b>Classes.</b> When every label is a run of digits, the classes are the distinct values in increasing order:
/// labels 0 to K − 1 are their own classes; any other set (1 to K, 3 to 9, 0 and 5) is renumbered 0 to K − 1 in
/// increasing order, never taken as indices, and <see cref="Dataset{T}.ClassNames"/> keeps the values as written ("1",
/// "2", …; leading zeros dropped). With <see cref="CsvOptions.StrictClassIndices"/> the labels must be exactly 0 to
/// K − 1 (at most 65535), and a label set that leaves a class without a row is refused naming the empty classes.
/// Otherwise labels are names, numbered in ordinal sorted order. Either way there must be at least 2 classes.
/// <see cref="CsvOptions.Classes"/> gives the classes instead (a test file may hold only some of them).
/// </para>
/// <para>
/// The one-hot targets the labels ask for, data rows × classes, may hold at most 2 values per character of the text,
/// plus 65,536: nearly every row naming a class of its own would otherwise make a few kilobytes of text allocate
/// gigabytes. Real data is far from the limit (ten classes need rows of five characters on average, as in "0.5,7",
/// and any file of a few thousand values may ask for them). Text that asks for more throws
/// <see cref="DataFormatException"/> before any matrix is allocated; <see cref="Dataset.ForClassification{T}(MathNet.Numerics.LinearAlgebra.Matrix{T}, IReadOnlyList{int}, int?, IReadOnlyList{string}?)"/>
/// takes any class count that fits in memory.
/// </para>
/// <para>
/// Reading allocates in proportion to the text: each value is stored once as it is read and once in the dataset,
/// and the longest line is buffered. That is at most 16 bytes per character of text for double (the densest text,
/// one-digit values), plus the one-hot targets, at most 2 values per character by the rule above, plus each distinct
/// class name once (a string and a table entry, about a hundred bytes for a short name). Reading in batches
/// (<see cref="ReadBatches{T}"/>) holds one batch.
/// </para>
/// </remarks>
public static class Csv
{
    /// <summary>Loads a CSV file into a dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The dataset; it holds its samples row by row until its <see cref="Dataset{T}.Features"/> are read.</returns>
    /// <exception cref="DataFormatException">A malformed row, a non-numeric or empty cell (unless filled), a ragged row, a column the file does not have or a column given two roles, no data, or class labels that break the rule on classes (see the remarks of <see cref="Csv"/>).</exception>
    /// <exception cref="ArgumentException">Options that contradict each other (checked before the file is opened), or <paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Load<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrEmpty(path);
        (options ?? new CsvOptions()).Check();
        using var reader = new StreamReader(path);
        return Read<T>(reader, options);
    }

    /// <summary>Reads CSV text into a dataset.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="options">How to read it; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The dataset; it holds its samples row by row until its <see cref="Dataset{T}.Features"/> are read.</returns>
    /// <exception cref="DataFormatException">A malformed row, a non-numeric or empty cell (unless filled), a ragged row, a column the text does not have or a column given two roles, no data, or class labels that break the rule on classes (see the remarks of <see cref="Csv"/>).</exception>
    /// <exception cref="ArgumentException">Options that contradict each other (checked before any text is read).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Read<T>(TextReader reader, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        options.Check();
        return CsvTable<T>.Read(reader, options, store: true).ToDataset();
    }

    /// <summary>
    /// Reads a CSV file in batches, lazily: each enumeration opens the file and reads it once, holding one batch at a
    /// time, so files larger than memory can train a network (<c>network.Fit(batches, …)</c> enumerates once per epoch).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="batchSize">Rows per batch, positive; the last batch holds what is left.</param>
    /// <param name="options">How to read it, as for <see cref="Load{T}"/>; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The batches, and what they hold (feature and class names, fill values).</returns>
    /// <remarks>
    /// <para>
    /// The same options, rules and checks as <see cref="Load{T}"/>, with the same messages. Targets are made for you:
    /// one-hot rows for a class column, the target columns' numbers otherwise.
    /// </para>
    /// <para>
    /// Some things must be known before the first batch: the classes, when <see cref="CsvOptions.Classes"/> does not
    /// give them, and the column means, when <see cref="CsvOptions.EmptyCells"/> is
    /// <see cref="CsvEmptyCells.FillWithMean"/>. Then this call reads the whole file once first, checking every row,
    /// and the classes are those of the whole file by the rule of <see cref="Csv"/>. Otherwise it reads only the
    /// header (or first line), and a bad row is found when the enumeration reaches it. Give
    /// <see cref="CsvOptions.Classes"/> (for instance the classes of a training file) to skip the first pass.
    /// </para>
    /// <para>
    /// An enumeration reuses one set of matrices for its full batches (and makes one more for a smaller last batch): a
    /// batch's values hold until the enumeration moves to the next batch. <c>Fit</c> and any loop that uses each
    /// batch before asking for the next are safe; to keep batches (a list, another thread), copy them
    /// (<c>batch with { Inputs = batch.Inputs.Clone(), Targets = batch.Targets.Clone() }</c>). Enumerations are
    /// independent: each has its own matrices and file handle.
    /// </para>
    /// </remarks>
    /// <exception cref="DataFormatException">As for <see cref="Load{T}"/>: here for the header, and, when a first pass is made, for every row; otherwise during the enumeration, which also throws when the file has no data row.</exception>
    /// <exception cref="ArgumentException">Options that contradict each other, or an empty <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive, or a batch would be more than one matrix holds.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static CsvBatches<T> ReadBatches<T>(string path, int batchSize, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.Positive(batchSize, nameof(batchSize));
        options ??= new CsvOptions();
        options.Check();
        bool firstPass = (options.Classification && options.Classes is null) || options.EmptyCells == CsvEmptyCells.FillWithMean;
        using var reader = new StreamReader(path);
        if (firstPass)
        {
            (CsvLayout layout, CsvClassMap? classes, T[]? fills) = CsvTable<T>.Read(reader, options, store: false).ForBatches();
            return new CsvBatches<T>(path, batchSize, options, layout, classes, fills);
        }

        CsvLayout header = CsvBatchReader<T>.Layout(reader, options);
        CsvClassMap? given = options.Classes is { } names ? new CsvClassMap([.. names], "CsvOptions.Classes") : null;
        return new CsvBatches<T>(path, batchSize, options, header, given, CsvFill<T>.Of(options, header).Values());
    }
}
