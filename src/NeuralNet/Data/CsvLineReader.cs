namespace NeuralNet.Data;

/// <summary>
/// Lines of a text, read into one reusable buffer: a line costs no allocation of its own, and the buffer grows only
/// to the longest line. Lines end at "\n", "\r" or "\r\n", as <see cref="TextReader.ReadLine"/> ends them.
/// </summary>
internal sealed class CsvLineReader(TextReader reader)
{
    private char[] _buffer = new char[4096];
    private int _start;
    private int _end;
    private bool _endOfText;

    // A line that ended with '\r' may be followed by the '\n' of the same line break, not yet read.
    private bool _afterCarriageReturn;

    /// <summary>The 1-based number of the last line read, blank lines included.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The characters read from the text so far, line breaks included.</summary>
    public long Characters { get; private set; }

    /// <summary>Reads the next line, without its line break.</summary>
    /// <param name="line">The line; valid until the next call.</param>
    /// <returns>False at the end of the text.</returns>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        int scanned = _start;
        while (true)
        {
            if (_afterCarriageReturn && _start < _end)
            {
                _afterCarriageReturn = false;
                if (_buffer[_start] == '\n')
                {
                    _start++;
                }

                scanned = _start;
            }

            int found = _buffer.AsSpan(scanned, _end - scanned).IndexOfAny('\r', '\n');
            if (found >= 0)
            {
                int lineBreak = scanned + found;
                line = _buffer.AsSpan(_start, lineBreak - _start);
                _afterCarriageReturn = _buffer[lineBreak] == '\r';
                _start = lineBreak + 1;
                LineNumber++;
                return true;
            }

            if (_endOfText)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                bool any = _start < _end;
                _start = _end;
                LineNumber += any ? 1 : 0;
                return any;
            }

            scanned = _end - _start;
            Fill();
        }
    }

    /// <summary>Moves the unfinished line to the front of the buffer, growing it when the line fills it, and reads more.</summary>
    private void Fill()
    {
        int pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length == Array.MaxLength)
            {
                throw new DataFormatException($"Line {LineNumber + 1}: expected a line shorter than {Array.MaxLength} characters.", LineNumber + 1, null);
            }

            char[] larger = new char[(int)Math.Min(2L * _buffer.Length, Array.MaxLength)];
            _buffer.AsSpan(0, _end).CopyTo(larger);
            _buffer = larger;
        }

        int read = reader.Read(_buffer, _end, _buffer.Length - _end);
        _endOfText = read == 0;
        _end += read;
        Characters += read;
    }
}
