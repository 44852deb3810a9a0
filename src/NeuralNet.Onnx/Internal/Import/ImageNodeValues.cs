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

    /// <summary>The attributes of the image nodes that came in a later opset than the node itself, or went in one.</summary>
    private static readonly (string OpType, string Attribute, int From, int Until)[] Versioned =
    [
        ("MaxPool", "storage_order", 8, int.MaxValue),
        ("MaxPool", "ceil_mode", 10, int.MaxValue),
        ("MaxPool", "dilations", 10, int.MaxValue),
        ("AveragePool", "ceil_mode", 10, int.MaxValue),
        ("AveragePool", "dilations", 19, int.MaxValue),
        ("Reshape", "allowzero", 14, int.MaxValue),
        ("Pad", "pads", 1, 10),
        ("Pad", "value", 1, 10),
    ];

    /// <summary>
    /// Refuses an attribute <paramref name="node"/>'s operator does not define at <paramref name="opset"/>, and an
    /// integer flag (ceil_mode, count_include_pad, storage_order, allowzero) other than 0 or 1.
    /// </summary>
    public static void CheckDefinedAt(NodeProto node, int opset)
    {
        foreach ((string opType, string name, int from, int until) in Versioned)
        {
            if (node.OpType == opType && (opset < from || opset > until) && node.Attribute.Any(a => a.Name == name))
            {
                throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has the attribute '{name}', which {node.OpType} defines {(until == int.MaxValue ? $"from opset {from}" : $"up to opset {until}")}; the model imports opset {opset}.");
            }
        }

        foreach (string flag in new[] { "ceil_mode", "count_include_pad", "storage_order", "allowzero" })
        {
            if (NodeAttributes.Int(node, flag, 0) is not (0 or 1))
            {
                throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {flag} {NodeAttributes.Int(node, flag, 0)}; it is 0 or 1.");
            }
        }
    }

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
