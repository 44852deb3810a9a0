using System.Buffers.Binary;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the integer lists the image nodes take: INTS attributes (kernel_shape, strides, pads, dilations) and stored
/// INT64 tensors (Reshape's shape, Pad's pads).
/// </summary>
internal static class ImageNodeValues
{
    /// <summary>The most values an integer list read here may have: a shape or a 2-D node's pads hold far fewer.</summary>
    private const int MaximumValues = 16;

    /// <summary>The INTS attribute called <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long[] Ints(NodeProto node, string name, long[] fallback)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null)
        {
            return fallback;
        }

        // IR version 1 files carry no type: the value field in use says it.
        if ((attribute.Type != AttributeProto.Types.AttributeType.Ints && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
            || attribute.I != 0 || attribute.F != 0f || !attribute.S.IsEmpty || attribute.T is not null || attribute.Floats.Count > 0 || attribute.Strings.Count > 0)
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) is not a list of integers (INTS) alone.");
        }

        if (attribute.Ints.Count > MaximumValues)
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) holds {attribute.Ints.Count} values; a 2-D {node.OpType} takes at most 4.");
        }

        return [.. attribute.Ints];
    }

    /// <summary>The values of a stored INT64 tensor of rank 1 (or a scalar) that <paramref name="node"/> takes.</summary>
    public static long[] Int64s(TensorProto tensor, NodeProto node)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            throw new OnnxFormatException($"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType}) has element type {tensor.DataType}; it must be INT64.");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType}) is stored in an external file; NeuralNet imports models that hold their values.");
        }

        long expected = tensor.Dims.Count switch
        {
            0 => 1,
            1 => tensor.Dims[0],
            _ => -1,
        };
        int raw = tensor.RawData.Length;
        long count = raw > 0 ? raw / sizeof(long) : tensor.Int64Data.Count;
        if (expected is < 0 or > MaximumValues || count != expected || (raw > 0 && (raw % sizeof(long) != 0 || tensor.Int64Data.Count > 0)))
        {
            throw new OnnxFormatException($"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType}) has shape [{string.Join(", ", tensor.Dims)}] and {count} values; it must be a list of at most {MaximumValues} integers, each given once.");
        }

        return raw > 0
            ? [.. Enumerable.Range(0, (int)count).Select(k => BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[(k * sizeof(long))..]))]
            : [.. tensor.Int64Data];
    }
}
