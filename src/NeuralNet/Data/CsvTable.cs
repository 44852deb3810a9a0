using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// One pass over a whole CSV text: every row checked and read, into a dataset (<see cref="Csv.Read{T}"/>), or, for
/// batches, only for what they need to know before the first batch (the classes, the means of the columns).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Features are stored as they are read, row after row in file order, and laid out once at the end in the feature
/// order of the options, straight into the rows a loaded <see cref="Dataset{T}"/> holds. Under the mean, an empty
/// cell is stored as NaN and replaced then.
/// </remarks>
internal sealed class CsvTable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CsvOptions _options;
    private readonly CsvLineReader _lines;
    private readonly bool _store;
    private CsvLayout? _layout;
    private CsvFill<T>? _fill;
    private ChunkedList<T>? _features;
    private ChunkedList<T>? _targets;
    private CsvClasses? _classes;
    private CsvClassMap? _given;
    private ChunkedList<int>? _labels;
    private int _rows;

    private CsvTable(TextReader reader, CsvOptions options, bool store)
    {
        _options = options;
        _lines = new CsvLineReader(reader);
        _store = store;
    }

    /// <summary>Reads <paramref name="reader"/> to its end, keeping the values when <paramref name="store"/>.</summary>
    /// <exception cref="DataFormatException">Malformed text, a bad cell, columns the text does not have, or no data row.</exception>
    public static CsvTable<T> Read(TextReader reader, CsvOptions options, bool store)
    {
        var table = new CsvTable<T>(reader, options, store);
        table.ReadAll();
        return table;
    }

    /// <summary>The dataset the text holds (read with <c>store</c>).</summary>
    /// <exception cref="DataFormatException">Class labels that break the rule on classes, or a column without any value to average.</exception>
    public Dataset<T> ToDataset()
    {
        CsvLayout layout = _layout!;

        // The classes and the fills first: a class count the text cannot justify, or a column with nothing to
        // average, is refused before any matrix is allocated.
        int[]? labels = null;
        string[]? names = null;
        if (_classes is not null)
        {
            (labels, names) = _classes.Resolve(_lines.Characters, layout, _options.StrictClassIndices);
        }
        else if (_given is not null)
        {
            labels = new int[_rows];
            _labels!.CopyTo(labels);
            names = [.. _given.Names];
        }

        T[]? fills = _fill!.Values();
        T[] samples = Samples(layout, fills);
        Matrix<T> targets = labels is null ? Targets(layout) : OneHot.Encode<T>(labels, names!.Length);
        return new Dataset<T>(samples, _rows, layout.FeatureCount, targets, labels, names?.Length ?? 0, names)
        {
            FeatureNames = layout.FeatureNames(),
            FillValues = fills,
        };
    }

    /// <summary>What batches need to know before their first batch (after a pass without <c>store</c>).</summary>
    /// <exception cref="DataFormatException">Class labels that break the rule on classes, or a column without any value to average.</exception>
    public (CsvLayout Layout, CsvClassMap? Classes, T[]? Fills) ForBatches()
    {
        CsvClassMap? classes = _given;
        if (_classes is not null)
        {
            (_, string[] names) = _classes.Resolve(_lines.Characters, _layout!, _options.StrictClassIndices);
            classes = new CsvClassMap(names, "the file (found by the first pass; did the file change?)");
        }

        return (_layout!, classes, _fill!.Values());
    }

    private void ReadAll()
    {
        while (_lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            int number = _lines.LineNumber;
            if (CsvFields.IsBlank(line, _options.Separator))
            {
                continue;
            }

            CsvLayout? layout = _layout;
            if (layout is null)
            {
                layout = Begin(CsvLayout.Of(line, number, _options));
                if (_options.HasHeader)
                {
                    continue;
                }
            }
            else
            {
                layout.CheckWidth(line, number);
            }

            if (_store && (long)(_rows + 1) * layout.FeatureCount > Array.MaxLength)
            {
                throw new DataFormatException($"Line {number}: the text holds more feature values than one matrix can ({Array.MaxLength}).", number, null);
            }

            ReadRow(line, number);
            _rows++;
        }

        if (_layout is null || _rows == 0)
        {
            throw new DataFormatException($"Expected at least one data row, but the text has none after {_lines.LineNumber} line(s).", _lines.LineNumber, null);
        }
    }

    private CsvLayout Begin(CsvLayout layout)
    {
        _layout = layout;
        _fill = CsvFill<T>.Of(_options, layout);
        _features = _store ? new ChunkedList<T>() : null;
        if (!_options.Classification)
        {
            _targets = _store ? new ChunkedList<T>() : null;
        }
        else if (_options.Classes is { } classes)
        {
            _given = new CsvClassMap([.. classes], "CsvOptions.Classes");
            _labels = _store ? new ChunkedList<int>() : null;
        }
        else
        {
            _classes = new CsvClasses(layout.TargetColumn, keepRows: _store);
        }

        return layout;
    }

    private void ReadRow(ReadOnlySpan<char> line, int number)
    {
        CsvLayout layout = _layout!;
        var fields = new CsvFields(line, _options.Separator, number);
        while (fields.MoveNext())
        {
            int role = layout.Role(fields.Column - 1);
            if (role >= 0)
            {
                T value = _fill!.Read(fields, role, number);
                _features?.Add(value);
            }
            else if (role == CsvLayout.Skipped)
            {
                continue;
            }
            else if (_classes is not null)
            {
                _classes.Add(fields, number, layout);
            }
            else if (_given is not null)
            {
                int label = _given.Find(fields, number, layout);
                _labels?.Add(label);
            }
            else
            {
                T value = CsvCells.Target<T>(fields, number, layout);
                _targets?.Add(value);
            }
        }
    }

    /// <summary>The features sample by sample in feature order, with empty cells (NaN) filled.</summary>
    private T[] Samples(CsvLayout layout, T[]? fills)
    {
        int width = layout.FeatureCount;
        var samples = new T[(long)_rows * width];
        int row = 0;
        int feature = 0;
        foreach (ArraySegment<T> chunk in _features!.Chunks())
        {
            foreach (T value in chunk.AsSpan())
            {
                int slot = layout.FeatureSlot(feature);
                samples[(row * width) + slot] = T.IsNaN(value) ? fills![slot] : value;
                if (++feature == width)
                {
                    feature = 0;
                    row++;
                }
            }
        }

        return samples;
    }

    /// <summary>The rows × targets matrix of regression targets, stored in file order row after row.</summary>
    private Matrix<T> Targets(CsvLayout layout)
    {
        int width = layout.TargetCount;
        Matrix<T> matrix = Storage.NewDense<T>(_rows, width);
        Span<T> to = Storage.Of(matrix);
        int row = 0;
        int target = 0;
        foreach (ArraySegment<T> chunk in _targets!.Chunks())
        {
            foreach (T value in chunk.AsSpan())
            {
                to[(layout.TargetSlot(target) * _rows) + row] = value;
                if (++target == width)
                {
                    target = 0;
                    row++;
                }
            }
        }

        return matrix;
    }
}
