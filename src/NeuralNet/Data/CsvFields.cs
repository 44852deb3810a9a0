namespace NeuralNet.Data;

/// <summary>
/// The fields of one CSV line, read strictly: a field is either unquoted text that holds no quote, or text enclosed
/// in quotes (a doubled quote inside stands for one), with nothing but whitespace between the quotes and the
/// separators. Control characters other than tab and the separator are refused wherever they stand.
/// </summary>
/// <remarks>
/// Lenient readers glue text after a closing quote onto the field (<c>"1"2</c> becomes 12) and keep stray quotes as
/// text; the number parser drops trailing NUL characters (<c>1\0</c> becomes 1). Each of those loads something other
/// than what the file says, so each is a <see cref="DataFormatException"/> naming the line and the field. A separator
/// that is itself a quote turns quoting off.
/// </remarks>
internal ref struct CsvFields
{
    private readonly ReadOnlySpan<char> _line;
    private readonly char _separator;
    private readonly int _lineNumber;
    private int _next;

    /// <summary>Prepares to read the fields of <paramref name="line"/>, physical line <paramref name="lineNumber"/>.</summary>
    public CsvFields(ReadOnlySpan<char> line, char separator, int lineNumber)
    {
        _line = line;
        _separator = separator;
        _lineNumber = lineNumber;
    }

    /// <summary>The current field: the text between its quotes, or the unquoted text with its surrounding whitespace.</summary>
    /// <remarks>When <see cref="Escaped"/>, quotes inside are still doubled; <see cref="Text"/> undoes that.</remarks>
    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>Whether <see cref="Current"/> holds doubled quotes.</summary>
    public bool Escaped { get; private set; }

    /// <summary>The 1-based position of the current field in the line.</summary>
    public int Column { get; private set; }

    /// <summary>Whether the line holds only whitespace (and no control character but tab and the separator).</summary>
    public static bool IsBlank(ReadOnlySpan<char> line, char separator)
    {
        foreach (char c in line)
        {
            if (!char.IsWhiteSpace(c) || IsForbidden(c, separator))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves to the next field.</summary>
    /// <returns>False after the last field.</returns>
    /// <exception cref="DataFormatException">The field is malformed.</exception>
    public bool MoveNext()
    {
        if (_next > _line.Length)
        {
            return false;
        }

        Column++;
        int start = _next;
        int i = start;
        while (i < _line.Length && IsSpace(_line[i]))
        {
            i++;
        }

        if (i < _line.Length && _line[i] == '"' && _separator != '"')
        {
            Quoted(i);
        }
        else
        {
            Unquoted(start);
        }

        return true;
    }

    /// <summary>The current field as a string, with doubled quotes undone.</summary>
    public readonly string Text() => Escaped ? Current.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : Current.ToString();

    private void Unquoted(int start)
    {
        int i = start;
        for (; i < _line.Length && _line[i] != _separator; i++)
        {
            if (_line[i] == '"')
            {
                throw Error("a quote inside an unquoted field; enclose the whole field in quotes and double the quotes inside it.");
            }

            CheckCharacter(_line[i]);
        }

        Current = _line[start..i];
        Escaped = false;
        _next = i + 1;
    }

    private void Quoted(int quote)
    {
        bool escaped = false;
        int i = quote + 1;
        while (true)
        {
            if (i >= _line.Length)
            {
                throw Error("a quoted field is not closed before the end of the line.");
            }

            if (_line[i] == '"')
            {
                if (i + 1 < _line.Length && _line[i + 1] == '"')
                {
                    escaped = true;
                    i += 2;
                    continue;
                }

                break;
            }

            CheckCharacter(_line[i]);
            i++;
        }

        Current = _line[(quote + 1)..i];
        Escaped = escaped;
        i++;
        while (i < _line.Length && IsSpace(_line[i]))
        {
            i++;
        }

        if (i < _line.Length && _line[i] != _separator)
        {
            CheckCharacter(_line[i]);
            throw Error($"expected the separator or the end of the line after the closing quote, but got '{_line[i]}'.");
        }

        _next = i + 1;
    }

    private static bool IsForbidden(char c, char separator) => char.IsControl(c) && c != '\t' && c != separator;

    private readonly bool IsSpace(char c) => c != _separator && char.IsWhiteSpace(c) && !IsForbidden(c, _separator);

    private readonly void CheckCharacter(char c)
    {
        if (IsForbidden(c, _separator))
        {
            throw Error($"expected text, but got the control character U+{(int)c:X4}.");
        }
    }

    private readonly DataFormatException Error(string problem) =>
        new($"Line {_lineNumber}, column {Column}: {problem}", _lineNumber, Column);
}
