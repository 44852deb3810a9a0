using System.Globalization;
using System.Runtime.CompilerServices;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// What <see cref="TensorDecoder.CheckDimension"/> names in its message, written as an interpolated string that is
/// formatted only when the dimension is refused.
/// </summary>
/// <remarks>
/// A file decides how many dimensions are checked (an input of rank 50,000 is a few hundred kilobytes) and how long
/// the names in each description are: formatting every description would cost the product of the two, far more than
/// the file's length. The compiler skips the appends when the constructor says the dimension is valid.
/// </remarks>
[InterpolatedStringHandler]
internal ref struct DimensionDescription
{
    private DefaultInterpolatedStringHandler _text;

    /// <summary>Starts a description of <paramref name="value"/>, formatted only if it is not a dimension.</summary>
    public DimensionDescription(int literalLength, int formattedCount, long value, out bool refused)
    {
        refused = !TensorDecoder.IsDimension(value);
        _text = refused ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture) : default;
    }

    /// <summary>Appends literal text.</summary>
    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    /// <summary>Appends a value, in the invariant culture.</summary>
    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    /// <summary>The description, once formatted.</summary>
    public string ToStringAndClear() => _text.ToStringAndClear();
}
