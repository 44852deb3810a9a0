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
/// </remarks>
public static class Csv
{
    /// <summary>Loads a CSV file into a dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; the defaults of <see cref="CsvOptions"/> when null.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DataFormatException">A malformed row, a non-numeric cell, a ragged row, an unknown target column, or no data.</exception>
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
    /// <exception cref="DataFormatException">A malformed row, a non-numeric cell, a ragged row, an unknown target column, or no data.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Read<T>(TextReader reader, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        var rows = new List<T[]>();
        var targets = new List<string>();
        var targetLines = new List<int>();
        int targetIndex = -1;
        int width = -1;
        string[]? header = null;
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (CsvFields.IsBlank(line, options.Separator))
            {
                continue;
            }

            List<string> fields = Split(line, options.Separator, lineNumber);
            if (width < 0)
            {
                width = fields.Count;
                if (width < 2)
                {
                    throw new DataFormatException($"Line {lineNumber}: expected at least 2 columns (features and a target), but got {width}.", lineNumber, null);
                }

                if (options.HasHeader)
                {
                    header = [.. fields.Select(f => f.Trim())];
                }

                targetIndex = TargetIndex(options, header, width, lineNumber);
                if (options.HasHeader)
                {
                    continue;
                }
            }

            if (fields.Count != width)
            {
                throw new DataFormatException($"Line {lineNumber}: expected {width} fields like the first line, but got {fields.Count}.", lineNumber, null);
            }

            var features = new T[width - 1];
            for (int c = 0, f = 0; c < width; c++)
            {
                if (c == targetIndex)
                {
                    continue;
                }

                features[f++] = Number<T>(fields[c], lineNumber, c, header);
            }

            rows.Add(features);
            targets.Add(fields[targetIndex].Trim());
            targetLines.Add(lineNumber);
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException($"Expected at least one data row, but the text has none after {lineNumber} line(s).", lineNumber, null);
        }

        Matrix<T> matrix = Matrix<T>.Build.DenseOfRowArrays(rows);
        if (!options.Classification)
        {
            Matrix<T> values = Matrix<T>.Build.Dense(targets.Count, 1);
            for (int i = 0; i < targets.Count; i++)
            {
                values[i, 0] = Number<T>(targets[i], targetLines[i], targetIndex, header);
            }

            return Dataset.ForRegression(matrix, values);
        }

        (int[] labels, string[]? names) = Labels(targets, targetLines, targetIndex);
        return Dataset.ForClassification(matrix, labels, names?.Length ?? Math.Max(2, labels.Max() + 1), names);
    }

    /// <summary>The largest integer label accepted: class labels count from 0, so a larger one is almost surely a misread column.</summary>
    private const int MaxLabel = 65535;

    /// <summary>Integer labels stay as they are; names are numbered in ordinal sorted order.</summary>
    private static (int[] Labels, string[]? Names) Labels(List<string> targets, List<int> lines, int column)
    {
        var labels = new int[targets.Count];
        bool numeric = true;
        for (int i = 0; i < targets.Count; i++)
        {
            if (targets[i].Length == 0)
            {
                throw new DataFormatException($"Line {lines[i]}, column {column + 1}: expected a class label, but the cell is empty.", lines[i], column + 1);
            }

            numeric = numeric && int.TryParse(targets[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]);
        }

        if (numeric)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] > MaxLabel)
                {
                    throw new DataFormatException($"Line {lines[i]}, column {column + 1}: expected a class label in [0, {MaxLabel}], but got {labels[i]}; for a numeric target set Classification = false.", lines[i], column + 1);
                }
            }

            return (labels, null);
        }

        string[] names = [.. targets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        for (int i = 0; i < targets.Count; i++)
        {
            labels[i] = Array.BinarySearch(names, targets[i], StringComparer.Ordinal);
        }

        return (labels, names);
    }

    private static int TargetIndex(CsvOptions options, string[]? header, int width, int line)
    {
        if (options.TargetColumn is { } name)
        {
            if (header is null)
            {
                throw new DataFormatException($"The target column is named '{name}', but the file is read without a header; use TargetColumnIndex.", line, null);
            }

            int index = Array.IndexOf(header, name);
            return index >= 0
                ? index
                : throw new DataFormatException($"Line {line}: expected a column named '{name}', but the header has {string.Join(", ", header.Select(h => $"'{h}'"))}.", line, null);
        }

        int target = options.TargetColumnIndex < 0 ? width + options.TargetColumnIndex : options.TargetColumnIndex;
        return target >= 0 && target < width
            ? target
            : throw new DataFormatException($"Line {line}: expected the target column index {options.TargetColumnIndex} within {width} columns.", line, null);
    }

    private static T Number<T>(string field, int line, int column, string[]? header)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out T value) && T.IsFinite(value))
        {
            return value;
        }

        string name = header is null ? string.Empty : $" ('{header[column]}')";
        throw new DataFormatException($"Line {line}, column {column + 1}{name}: expected a finite number, but got '{field}'.", line, column + 1);
    }

    private static List<string> Split(string line, char separator, int lineNumber)
    {
        var fields = new List<string>();
        var split = new CsvFields(line, separator, lineNumber);
        while (split.MoveNext())
        {
            fields.Add(split.Text());
        }

        return fields;
    }
}
