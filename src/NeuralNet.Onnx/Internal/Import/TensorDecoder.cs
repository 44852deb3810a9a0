using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Turns stored tensors into values (from <c>raw_data</c> or the typed <c>float_data</c>/<c>double_data</c> fields)
/// and checks the sizes and element types a file claims.
/// </summary>
/// <remarks>
/// A count of values is checked against the bytes actually present before the values are allocated, so a file that
/// claims absurd dimensions costs no more memory than its own length.
/// </remarks>
internal static class TensorDecoder
{
    /// <summary>The values of a float or double tensor as <typeparamref name="T"/>, after checking they are all there and finite.</summary>
    public static T[] Values<T>(TensorProto tensor, NodeProto node, long expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"{What()} is stored in an external file; NeuralNet imports models that hold their weights.");
        }

        if (!IsFloatOrDouble(tensor.DataType))
        {
            throw UnsupportedElementType(tensor.DataType, What());
        }

        bool isFloat = tensor.DataType == (int)TensorProto.Types.DataType.Float;
        int size = isFloat ? sizeof(float) : sizeof(double);
        int typed = isFloat ? tensor.FloatData.Count : tensor.DoubleData.Count;
        long count = tensor.RawData.Length > 0 ? tensor.RawData.Length / size : typed;
        if (tensor.RawData.Length > 0 && (typed > 0 || tensor.RawData.Length % size != 0))
        {
            throw new OnnxFormatException(
                $"{What()} has {tensor.RawData.Length} bytes of raw data{(typed > 0 ? $" and {typed} typed values" : string.Empty)}; it must hold whole {(isFloat ? "FLOAT" : "DOUBLE")} values in one of the two.");
        }

        if (count != expected)
        {
            throw new OnnxFormatException($"{What()} holds {count} values; its shape [{string.Join(", ", tensor.Dims)}] needs {expected}.");
        }

        var values = new T[count];
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        for (int k = 0; k < values.Length; k++)
        {
            double value = raw.Length > 0
                ? isFloat ? BinaryPrimitives.ReadSingleLittleEndian(raw[(k * size)..]) : BinaryPrimitives.ReadDoubleLittleEndian(raw[(k * size)..])
                : isFloat ? tensor.FloatData[k] : tensor.DoubleData[k];
            if (!double.IsFinite(value))
            {
                throw new OnnxFormatException($"{What()} holds {value.ToString(CultureInfo.InvariantCulture)} at index {k}; weights must be finite.");
            }

            values[k] = T.CreateChecked(value);
            if (!T.IsFinite(values[k]))
            {
                throw new NotSupportedException($"{What()} holds {value.ToString("R", CultureInfo.InvariantCulture)} at index {k}, beyond the range of {typeof(T).Name}; import it as double.");
            }
        }

        return values;

        // Formatted only for a message: a tensor shared by many layers is decoded once for each, and its name, which
        // the file may make as long as it likes, must not be copied every time.
        string What() => $"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType})";
    }

    /// <summary>Checks that <paramref name="elementType"/> is FLOAT or DOUBLE; <paramref name="what"/> starts the message otherwise.</summary>
    public static void CheckElementType(int elementType, string what)
    {
        if (!IsFloatOrDouble(elementType))
        {
            throw UnsupportedElementType(elementType, what);
        }
    }

    private static bool IsFloatOrDouble(int elementType) =>
        elementType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double;

    private static NotSupportedException UnsupportedElementType(int elementType, string what)
    {
        string name = Enum.IsDefined(typeof(TensorProto.Types.DataType), elementType)
            ? ((TensorProto.Types.DataType)elementType).ToString().ToUpperInvariant()
            : elementType.ToString(CultureInfo.InvariantCulture);
        return new NotSupportedException($"{what} has element type {name}; NeuralNet imports FLOAT and DOUBLE.");
    }

    /// <summary>Checks <paramref name="value"/> is a dimension; <paramref name="what"/> is formatted only when it is not.</summary>
    public static long CheckDimension(long value, [InterpolatedStringHandlerArgument(nameof(value))] ref DimensionDescription what) =>
        IsDimension(value)
            ? value
            : throw new OnnxFormatException($"The ONNX model gives {what.ToStringAndClear()} as {value}; a dimension must be from 0 to {int.MaxValue}.");

    /// <summary>A dimension is a count of elements of a dense matrix: from 0 to int.MaxValue.</summary>
    public static bool IsDimension(long value) => value is >= 0 and <= int.MaxValue;
}
