using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads a node's INT and FLOAT attributes and refuses attributes its operator does not define, so that a file cannot
/// change what a node computes through a field the reader would otherwise ignore.
/// </summary>
internal static class NodeAttributes
{
    /// <summary>The attributes the ONNX specification defines for each operator read here; any other makes a node invalid.</summary>
    private static readonly Dictionary<string, string[]> KnownAttributes = new(StringComparer.Ordinal)
    {
        ["Gemm"] = ["alpha", "beta", "transA", "transB"],
        ["MatMul"] = [],
        ["Add"] = [],
        ["Mul"] = [],
        ["Max"] = [],
        ["Relu"] = [],
        ["LeakyRelu"] = ["alpha"],
        ["Sigmoid"] = [],
        ["Tanh"] = [],
        ["Softmax"] = ["axis"],
        ["Elu"] = ["alpha"],
        ["Selu"] = ["alpha", "gamma"],
        ["Softplus"] = [],
        ["Gelu"] = ["approximate"],
        ["BatchNormalization"] = ["epsilon", "momentum", "spatial", "training_mode"],
        ["LayerNormalization"] = ["axis", "epsilon", "stash_type"],
        ["Flatten"] = ["axis"],
        ["Identity"] = [],
        ["Conv"] = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"],
        ["MaxPool"] = ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"],
        ["AveragePool"] = ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"],
        ["GlobalAveragePool"] = [],
        ["Reshape"] = ["allowzero"],
        ["Pad"] = ["mode", "pads", "value"],
    };

    /// <summary>
    /// Checks that every attribute of <paramref name="node"/> is one its operator defines, given once, when the
    /// operator is one read here.
    /// </summary>
    /// <remarks>
    /// A second copy of an attribute is refused rather than ignored: readers differ on which copy counts. The check
    /// stops at the first unknown or repeated attribute, so a node cannot make it loop over a long list.
    /// </remarks>
    public static void CheckDefined(NodeProto node)
    {
        if (!KnownAttributes.TryGetValue(node.OpType, out string[]? known))
        {
            return;
        }

        // An operator read here defines at most seven attributes: one bit each marks those seen.
        int seen = 0;
        foreach (AttributeProto attribute in node.Attribute)
        {
            int index = Array.IndexOf(known, attribute.Name);
            if (index < 0)
            {
                throw new OnnxFormatException(
                    $"ONNX node '{node.Name}' ({node.OpType}) has the attribute '{attribute.Name}', which {node.OpType} does not define{(known.Length > 0 ? $" (it takes {string.Join(", ", known)})" : string.Empty)}.");
            }

            if ((seen & (1 << index)) != 0)
            {
                throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has the attribute '{attribute.Name}' twice; each attribute is given once.");
            }

            seen |= 1 << index;
        }
    }

    /// <summary>The INT attribute called <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(NodeProto node, string name, long fallback) =>
        Attribute(node, name, AttributeProto.Types.AttributeType.Int)?.I ?? fallback;

    /// <summary>The FLOAT attribute called <paramref name="name"/>, checked to be finite, or <paramref name="fallback"/> when absent.</summary>
    public static float Float(NodeProto node, string name, float fallback)
    {
        AttributeProto? attribute = Attribute(node, name, AttributeProto.Types.AttributeType.Float);
        if (attribute is not null && !float.IsFinite(attribute.F))
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) is {attribute.F}; it must be finite.");
        }

        return attribute?.F ?? fallback;
    }

    /// <summary>The STRING attribute called <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string String(NodeProto node, string name, string fallback) =>
        Attribute(node, name, AttributeProto.Types.AttributeType.String)?.S.ToStringUtf8() ?? fallback;

    /// <summary>The attribute called <paramref name="name"/>, checked to be of <paramref name="type"/>; null when absent.</summary>
    private static AttributeProto? Attribute(NodeProto node, string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);

        // IR version 1 files carry no type: the value field in use says it.
        if (attribute is not null && attribute.Type != type && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
        {
            throw new OnnxFormatException(
                $"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) is a {attribute.Type}; it must be {(type == AttributeProto.Types.AttributeType.Int ? "an" : "a")} {type.ToString().ToUpperInvariant()}.");
        }

        // An attribute holds one value: a second field set beside its own leaves its meaning in doubt.
        bool otherField = type switch
        {
            AttributeProto.Types.AttributeType.Int => attribute?.F != 0f || attribute?.S.IsEmpty == false,
            AttributeProto.Types.AttributeType.Float => attribute?.I != 0L || attribute?.S.IsEmpty == false,
            _ => attribute?.I != 0L || attribute?.F != 0f,
        };
        if (attribute is not null && (otherField || attribute.T is not null
            || attribute.Floats.Count > 0 || attribute.Ints.Count > 0 || attribute.Strings.Count > 0))
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) sets value fields other than its {type.ToString().ToUpperInvariant()}.");
        }

        return attribute;
    }
}
