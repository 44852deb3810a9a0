namespace NeuralNet.Persistence;

/// <summary>
/// A saved model or checkpoint that cannot be loaded: not a NeuralNet file, an unknown format version, a
/// precision other than the one asked for, corrupt or truncated content. It is the only exception the loaders
/// throw for bad content.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
