namespace NeuralNet.Onnx;

/// <summary>
/// Thrown when bytes given to <see cref="OnnxModel.Import{T}(string, OnnxImportOptions?)"/> are not a well-formed
/// ONNX model: not a protobuf <c>ModelProto</c>, truncated, a tensor whose data does not match its type or
/// dimensions, absurd or negative dimensions, non-finite weights, or a graph that refers to tensors it never
/// defines. A well-formed model that uses ONNX features NeuralNet does not import throws
/// <see cref="NotSupportedException"/> instead.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OnnxFormatException()
        : base("The data is not a well-formed ONNX model.")
    {
    }

    /// <summary>Creates the exception with a message saying what was expected and what was found.</summary>
    /// <param name="message">The message.</param>
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying error, such as the protobuf parser's.</param>
    public OnnxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
