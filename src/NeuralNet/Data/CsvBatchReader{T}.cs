using System.Collections;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// One enumeration of <see cref="CsvBatches{T}"/>: the file read once from its start, rows parsed straight into the
/// column-major matrices of the batch, which are reused from batch to batch.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Reuse is what makes streaming cost nothing per batch, and it is safe for its consumer, training, which is done
/// with a batch before it asks for the next. A smaller last batch gets matrices of its own (made once, at the end).
/// </remarks>
internal sealed class CsvBatchReader<T> : IEnumerator<DataBatch<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CsvBatches<T> _source;
    private readonly StreamReader _reader;
    private readonly CsvLineReader _lines;
    private DataBatch<T>? _full;
    private DataBatch<T>? _current;
    private bool _pastFirstLine;
    private bool _ended;
    private long _rows;

    public CsvBatchReader(CsvBatches<T> source)
    {
        _source = source;
        _reader = new StreamReader(source.Path);
        _lines = new CsvLineReader(_reader);
    }

    /// <inheritdoc/>
    public DataBatch<T> Current => _current ?? throw new InvalidOperationException("There is no current batch: call MoveNext first, and only while it returns true.");

    /// <inheritdoc/>
    object IEnumerator.Current => Current;

    /// <summary>The layout of a text whose first non-blank line is read from <paramref name="reader"/>.</summary>
    /// <exception cref="DataFormatException">The text has no line, or the line does not fit the options.</exception>
    public static CsvLayout Layout(TextReader reader, CsvOptions options)
    {
        var lines = new CsvLineReader(reader);
        while (lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            if (!CsvFields.IsBlank(line, options.Separator))
            {
                return CsvLayout.Of(line, lines.LineNumber, options);
            }
        }

        throw NoData(lines.LineNumber);
    }

    /// <inheritdoc/>
    public bool MoveNext()
    {
        _current = null;
        if (_ended)
        {
            return false;
        }

        int size = _source.BatchSize;
        _full ??= new DataBatch<T>(Storage.NewDense<T>(size, _source.FeatureCount), Storage.NewDense<T>(size, _source.TargetCount));
        Span<T> inputs = Storage.Of(_full.Inputs);
        Span<T> targets = Storage.Of(_full.Targets);
        if (_source.IsClassification)
        {
            // One-hot rows are written by their single 1: the zeros of the last batch's rows are made here.
            targets.Clear();
        }

        int rows = 0;
        while (rows < size && _lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            int number = _lines.LineNumber;
            if (CsvFields.IsBlank(line, _source.Options.Separator))
            {
                continue;
            }

            bool first = !_pastFirstLine;
            _pastFirstLine = true;
            if (first && _source.Options.HasHeader)
            {
                CheckHeader(line, number);
                continue;
            }

            _source.Layout.CheckWidth(line, number);
            ReadRow(line, number, rows, size, inputs, targets);
            rows++;
        }

        _rows += rows;
        if (rows == size)
        {
            _current = _full;
            return true;
        }

        _ended = true;
        if (rows == 0)
        {
            return _rows > 0 ? false : throw NoData(_lines.LineNumber);
        }

        _current = new DataBatch<T>(Top(_full.Inputs, rows), Top(_full.Targets, rows));
        return true;
    }

    /// <summary>Not supported: enumerate the batches again instead.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Reset() => throw new NotSupportedException("A CSV enumeration reads its file once; enumerate the batches again to read it again.");

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    private static DataFormatException NoData(int lines) =>
        new($"Expected at least one data row, but the text has none after {lines} line(s).", lines, null);

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="matrix"/>, copied.</summary>
    private static Matrix<T> Top(Matrix<T> matrix, int rows)
    {
        Matrix<T> top = Storage.NewDense<T>(rows, matrix.ColumnCount);
        Span<T> to = Storage.Of(top);
        ReadOnlySpan<T> from = Storage.Of(matrix);
        for (int j = 0; j < matrix.ColumnCount; j++)
        {
            from.Slice(j * matrix.RowCount, rows).CopyTo(to.Slice(j * rows, rows));
        }

        return top;
    }

    private void CheckHeader(ReadOnlySpan<char> line, int number)
    {
        string header = _source.Layout.Header!;
        if (!line.SequenceEqual(header))
        {
            throw new DataFormatException($"Line {number}: expected the header the batches were made with, '{Shown(header)}', but got '{Shown(line)}'; the file changed.", number, null);
        }
    }

    private static string Shown(ReadOnlySpan<char> text) =>
        text.Length > CsvCells.Shown ? string.Concat(text[..CsvCells.Shown], "…") : text.ToString();

    private void ReadRow(ReadOnlySpan<char> line, int number, int row, int size, Span<T> inputs, Span<T> targets)
    {
        CsvLayout layout = _source.Layout;
        CsvClassMap? classes = _source.Classes;
        var fields = new CsvFields(line, _source.Options.Separator, number);
        while (fields.MoveNext())
        {
            int role = layout.Role(fields.Column - 1);
            if (role >= 0)
            {
                inputs[(layout.FeatureSlot(role) * size) + row] = _source.Fill.Read(fields, role, number);
            }
            else if (role == CsvLayout.Skipped)
            {
                continue;
            }
            else if (classes is not null)
            {
                targets[(classes.Find(fields, number, layout) * size) + row] = T.One;
            }
            else
            {
                targets[(layout.TargetSlot(-2 - role) * size) + row] = CsvCells.Target<T>(fields, number, layout);
            }
        }
    }
}
