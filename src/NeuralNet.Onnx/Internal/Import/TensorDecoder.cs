using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
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
        string what = $"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType})";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"{what} is stored in an external file; NeuralNet imports models that hold their weights.");
        }

        CheckElementType(tensor.DataType, what);
        bool isFloat = tensor.DataType == (int)TensorProto.Types.DataType.Float;
        int size = isFloat ? sizeof(float) : sizeof(double);
        int typed = isFloat ? tensor.FloatData.Count : tensor.DoubleData.Count;
        long count = tensor.RawData.Length > 0 ? tensor.RawData.Length / size : typed;
        if (tensor.RawData.Length > 0 && (typed > 0 || tensor.RawData.Length % size != 0))
        {
            throw new OnnxFormatException(
                $"{what} has {tensor.RawData.Length} bytes of raw data{(typed > 0 ? $" and {typed} typed values" : string.Empty)}; it must hold whole {(isFloat ? "FLOAT" : "DOUBLE")} values in one of the two.");
        }

        if (count != expected)
        {
            throw new OnnxFormatException($"{what} holds {count} values; its shape [{string.Join(", ", tensor.Dims)}] needs {expected}.");
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
                throw new OnnxFormatException($"{what} holds {value.ToString(CultureInfo.InvariantCulture)} at index {k}; weights must be finite.");
            }

            values[k] = T.CreateChecked(value);
            if (!T.IsFinite(values[k]))
            {
                throw new NotSupportedException($"{what} holds {value.ToString("R", CultureInfo.InvariantCulture)} at index {k}, beyond the range of {typeof(T).Name}; import it as double.");
            }
        }

        return values;
    }

    /// <summary>Checks that <paramref name="elementType"/> is FLOAT or DOUBLE; <paramref name="what"/> starts the message otherwise.</summary>
    public static void CheckElementType(int elementType, string what)
    {
        if (elementType is not ((int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double))
        {
            string name = Enum.IsDefined(typeof(TensorProto.Types.DataType), elementType)
                ? ((TensorProto.Types.DataType)elementType).ToString().ToUpperInvariant()
                : elementType.ToString(CultureInfo.InvariantCulture);
            throw new NotSupportedException($"{what} has element type {name}; NeuralNet imports FLOAT and DOUBLE.");
        }
    }

    /// <summary>A dimension is a count of elements of a dense matrix: from 0 to int.MaxValue.</summary>
    public static long CheckDimension(long value, string what) =>
        value is < 0 or > int.MaxValue
            ? throw new OnnxFormatException($"The ONNX model gives {what} as {value}; a dimension must be from 0 to {int.MaxValue}.")
            : value;
}
