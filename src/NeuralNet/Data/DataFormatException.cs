namespace NeuralNet.Data;

/// <summary>
/// A data file (CSV, IDX) whose content is malformed: a non-numeric cell, a ragged row, a wrong magic number,
/// a truncated file. The message names the file position; <see cref="Line"/> and <see cref="Column"/> give it too.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DataFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The underlying error.</param>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a position in a text file.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column (field), or null when the whole line is at fault.</param>
    public DataFormatException(string message, int line, int? column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>The 1-based line of a text file where the problem is, when known.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column (field) where the problem is, when known.</summary>
    public int? Column { get; }
}
