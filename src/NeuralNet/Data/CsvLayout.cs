namespace NeuralNet.Data;

/// <summary>
/// What the first line of a CSV text decides: how many fields every line holds, which one is the target, and, when
/// the first line is a header, the names of the columns.
/// </summary>
/// <remarks>The header is kept as the line it was, and split again only to name a column in an error message.</remarks>
internal sealed class CsvLayout
{
    private const int NamesListed = 20;

    private readonly string? _header;
    private readonly char _separator;

    private CsvLayout(string? header, char separator, int width, int target)
    {
        _header = header;
        _separator = separator;
        Width = width;
        Target = target;
    }

    /// <summary>The number of fields in every line.</summary>
    public int Width { get; }

    /// <summary>The 0-based index of the target field.</summary>
    public int Target { get; }

    /// <summary>The layout the first non-blank line gives.</summary>
    /// <exception cref="DataFormatException">Fewer than 2 fields, or no such target column.</exception>
    public static CsvLayout Of(ReadOnlySpan<char> line, int lineNumber, CsvOptions options)
    {
        int width = Count(line, options.Separator, lineNumber);
        if (width < 2)
        {
            throw new DataFormatException($"Line {lineNumber}: expected at least 2 columns (features and a target), but got {width}.", lineNumber, null);
        }

        string? header = options.HasHeader ? line.ToString() : null;
        return new CsvLayout(header, options.Separator, width, TargetIndex(options, header, width, lineNumber));
    }

    /// <summary>Checks that <paramref name="line"/> holds <see cref="Width"/> well-formed fields.</summary>
    /// <exception cref="DataFormatException">It holds another number, or a field is malformed.</exception>
    public void CheckWidth(ReadOnlySpan<char> line, int lineNumber)
    {
        int count = Count(line, _separator, lineNumber);
        if (count != Width)
        {
            throw new DataFormatException($"Line {lineNumber}: expected {Width} fields like the first line, but got {count}.", lineNumber, null);
        }
    }

    /// <summary>" ('name')" for the 0-based <paramref name="column"/>, or nothing when the text has no header.</summary>
    public string Describe(int column)
    {
        if (_header is null)
        {
            return string.Empty;
        }

        var fields = new CsvFields(_header, _separator, 1);
        for (int skipped = 0; skipped <= column; skipped++)
        {
            fields.MoveNext();
        }

        return $" ('{fields.Text().Trim()}')";
    }

    private static int Count(ReadOnlySpan<char> line, char separator, int lineNumber)
    {
        var fields = new CsvFields(line, separator, lineNumber);
        int count = 0;
        while (fields.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static List<string> Names(string header, char separator)
    {
        var names = new List<string>();
        var fields = new CsvFields(header, separator, 1);
        while (fields.MoveNext())
        {
            names.Add(fields.Text().Trim());
        }

        return names;
    }

    private static int TargetIndex(CsvOptions options, string? header, int width, int line)
    {
        if (options.TargetColumn is { } name)
        {
            if (header is null)
            {
                throw new DataFormatException($"The target column is named '{name}', but the file is read without a header; use TargetColumnIndex.", line, null);
            }

            var fields = new CsvFields(header, options.Separator, line);
            while (fields.MoveNext())
            {
                if (fields.Text().Trim() == name)
                {
                    return fields.Column - 1;
                }
            }

            List<string> names = Names(header, options.Separator);
            string listed = string.Join(", ", names.Take(NamesListed).Select(h => $"'{h}'")) + (names.Count > NamesListed ? $" and {names.Count - NamesListed} more" : string.Empty);
            throw new DataFormatException($"Line {line}: expected a column named '{name}', but the header has {listed}.", line, null);
        }

        int target = options.TargetColumnIndex < 0 ? width + options.TargetColumnIndex : options.TargetColumnIndex;
        return target >= 0 && target < width
            ? target
            : throw new DataFormatException($"Line {line}: expected the target column index {options.TargetColumnIndex} within {width} columns.", line, null);
    }
}
