using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Reads datasets from CSV text: one sample per line, one numeric feature per field, one target field.
/// Numbers are parsed with the invariant culture (a '.' decimal point) whatever the machine's culture.
/// </summary>
/// <remarks>
/// Fields may be quoted with '"' (a doubled quote inside stands for one); quoted fields do not span lines, and only
/// whitespace may stand between a quote and the separator. A quote inside an unquoted field, text after a closing
/// quote, and control characters other than tab (and the separator) are malformed wherever they stand.
/// Blank lines are skipped. Any malformed content throws <see cref="DataFormatException"/> naming the line and column.
/// <para>
/// Class labels are integers when every label is a run of digits (at most 65535; the class count is the largest + 1,
/// at least 2), and names otherwise (at least 2 distinct ones, numbered in ordinal sorted order). The one-hot targets
/// they ask for, data rows × classes, may hold at most 2 values per character of the text, plus 65,536: a label of
/// 65535 in a short file, or nearly every row naming a class of its own, would otherwise make a few kilobytes of text
/// allocate gigabytes. Real data is far from the limit (ten classes need rows of five characters on average, as in
/// "0.5,7", and any file of a few thousand values may ask for them). Text that asks for more throws
/// <see cref="DataFormatException"/> before any matrix is allocated; <see cref="Dataset.ForClassification{T}(MathNet.Numerics.LinearAlgebra.Matrix{T}, IReadOnlyList{int}, int?, IReadOnlyList{string}?)"/>
/// takes any class count that fits in memory.
/// </para>
/// <para>
/// Reading allocates in proportion to the text: each value is stored once as it is read and once in its matrix,
/// and the longest line is buffered. That is at most 16 bytes per character of text for double (the densest text,
/// one-digit values), plus the one-hot targets, at most 2 values per character by the rule above, plus each distinct
/// class name once (a string and a table entry, about a hundred bytes for a short name).
/// </para>
/// </remarks>
public static class Csv
{
    /// <summary>At most this many characters of a bad cell are shown in a message.</summary>
    private const int Shown = 64;

    /// <summary>Loads a CSV file into a dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DataFormatException">A malformed row, a non-numeric cell, a ragged row, an unknown target column, no data, or class labels that break the rule on classes (see the remarks of <see cref="Csv"/>).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Load<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read<T>(reader, options);
    }

    /// <summary>Reads CSV text into a dataset.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="options">How to read it; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DataFormatException">A malformed row, a non-numeric cell, a ragged row, an unknown target column, no data, or class labels that break the rule on classes (see the remarks of <see cref="Csv"/>).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Read<T>(TextReader reader, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        var lines = new CsvLineReader(reader);
        CsvLayout? layout = null;
        var features = new ChunkedList<T>();
        ChunkedList<T>? values = null;
        CsvClasses? classes = null;
        int rows = 0;
        while (lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            int number = lines.LineNumber;
            if (CsvFields.IsBlank(line, options.Separator))
            {
                continue;
            }

            if (layout is null)
            {
                layout = CsvLayout.Of(line, number, options);
                values = options.Classification ? null : new ChunkedList<T>();
                classes = options.Classification ? new CsvClasses(layout.Target) : null;
                if (options.HasHeader)
                {
                    continue;
                }
            }
            else
            {
                layout.CheckWidth(line, number);
            }

            if ((long)(rows + 1) * (layout.Width - 1) > Array.MaxLength)
            {
                throw new DataFormatException($"Line {number}: the text holds more feature values than one matrix can ({Array.MaxLength}).", number, null);
            }

            var fields = new CsvFields(line, options.Separator, number);
            while (fields.MoveNext())
            {
                if (fields.Column - 1 != layout.Target)
                {
                    features.Add(Number<T>(fields, number, layout));
                }
                else if (classes is not null)
                {
                    classes.Add(fields, number);
                }
                else
                {
                    values!.Add(Number<T>(fields, number, layout));
                }
            }

            rows++;
        }

        if (layout is null || rows == 0)
        {
            throw new DataFormatException($"Expected at least one data row, but the text has none after {lines.LineNumber} line(s).", lines.LineNumber, null);
        }

        if (classes is null)
        {
            Matrix<T> targets = Storage.NewDense<T>(rows, 1);
            values!.CopyTo(Storage.Of(targets));
            return new Dataset<T>(Transpose(features, rows, layout.Width - 1), targets, null, 0, null);
        }

        // The classes first: a class count the text cannot justify is refused before any matrix is allocated.
        (int[] labels, string[]? names, int classCount) = classes.Resolve(lines.Characters, layout);
        return new Dataset<T>(Transpose(features, rows, layout.Width - 1), OneHot.Encode<T>(labels, classCount), labels, classCount, names);
    }

    /// <summary>The rows × columns matrix of values stored row after row.</summary>
    private static Matrix<T> Transpose<T>(ChunkedList<T> values, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> matrix = Storage.NewDense<T>(rows, columns);
        Span<T> to = Storage.Of(matrix);
        int row = 0;
        int column = 0;
        foreach (ArraySegment<T> chunk in values.Chunks())
        {
            foreach (T value in chunk.AsSpan())
            {
                to[(column * rows) + row] = value;
                if (++column == columns)
                {
                    column = 0;
                    row++;
                }
            }
        }

        return matrix;
    }

    private static T Number<T>(CsvFields field, int line, CsvLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!field.Escaped && T.TryParse(field.Current.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out T value) && T.IsFinite(value))
        {
            return value;
        }

        string text = field.Current.Length > Shown ? string.Concat(field.Current[..Shown], "…") : field.Text();
        throw new DataFormatException($"Line {line}, column {field.Column}{layout.Describe(field.Column - 1)}: expected a finite number, but got '{text}'.", line, field.Column);
    }
}
