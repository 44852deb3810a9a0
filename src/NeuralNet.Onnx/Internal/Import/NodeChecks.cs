using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// The checks every node reader makes of a node's wiring (how many inputs and outputs it has), and the one form of
/// the message for a node that is well formed but outside what NeuralNet imports.
/// </summary>
/// <remarks>
/// A wrong count of inputs or outputs is a malformed file (<see cref="OnnxFormatException"/>); a node NeuralNet does
/// not read is <see cref="NotSupportedException"/>. Keeping both here keeps their wording the same for every operator.
/// </remarks>
internal static class NodeChecks
{
    /// <summary>The node's input names, after checking there are from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static string[] Inputs(NodeProto node, int minimum, int maximum)
    {
        if (node.Input.Count < minimum || node.Input.Count > maximum)
        {
            string expected = minimum == maximum ? $"{minimum}" : $"{minimum} to {maximum}";
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {node.Input.Count} inputs; it takes {expected}.");
        }

        return [.. node.Input];
    }

    /// <summary>Checks the node names exactly <paramref name="count"/> outputs, none of them empty.</summary>
    public static void Outputs(NodeProto node, int count)
    {
        if (node.Output.Count != count || node.Output.Any(o => o.Length == 0))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {node.Output.Count} outputs; it produces {count}.");
        }
    }

    /// <summary>The exception for a well-formed node NeuralNet does not import, naming the node and saying why.</summary>
    public static NotSupportedException Unsupported(NodeProto node, string why) =>
        new($"ONNX node '{node.Name}' (op type '{node.OpType}') is not supported: {why}.");
}
