using System.Globalization;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Refuses a graph of more than <see cref="OnnxModel.MaximumLayers"/> dense layers, counted as its default-domain
/// Gemm and MatMul nodes: in a graph that imports, each of them is one layer.
/// </summary>
/// <remarks>
/// The count is taken twice: on the file's bytes before parsing (<see cref="WireLayerCount"/>), so a graph of a
/// hundred thousand layers costs a scan rather than a parse, a walk and a network; and on the parsed graph, which
/// holds even for a file whose bytes the first count could not read.
/// </remarks>
internal static class LayerCap
{
    /// <summary>Refuses <paramref name="model"/>, a serialized ModelProto, when its bytes show too many layers.</summary>
    public static void CheckBytes(ReadOnlySpan<byte> model)
    {
        if (WireLayerCount.TryCount(model, out long layers))
        {
            Check(layers);
        }
    }

    /// <summary>Refuses <paramref name="graph"/> when it has too many layers.</summary>
    public static void Check(GraphProto graph) => Check(graph.Node.Count(n => IsLayer(n.OpType, n.Domain)));

    /// <summary>Whether a node of <paramref name="opType"/> in <paramref name="domain"/> is read as a dense layer.</summary>
    public static bool IsLayer(string opType, string domain) => opType is "Gemm" or "MatMul" && OnnxNames.IsDefaultDomain(domain);

    /// <summary><see cref="IsLayer(string, string)"/> on the UTF-8 bytes of the two names.</summary>
    public static bool IsLayer(ReadOnlySpan<byte> opType, ReadOnlySpan<byte> domain) =>
        (opType.SequenceEqual("Gemm"u8) || opType.SequenceEqual("MatMul"u8))
        && (domain.SequenceEqual("ai.onnx"u8) || domain.IsEmpty);

    private static void Check(long layers)
    {
        if (layers > OnnxModel.MaximumLayers)
        {
            throw new NotSupportedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The ONNX graph has {layers:N0} dense layers (Gemm and MatMul nodes); NeuralNet imports at most {OnnxModel.MaximumLayers:N0}, the most its own model format holds."));
        }
    }
}
