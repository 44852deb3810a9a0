using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads a Gemm node as a dense layer: <c>Y = alpha·A·B + beta·C</c> is one when alpha and beta are 1 and A is not
/// transposed; B holds the weights (transposed with transB, as PyTorch writes <c>nn.Linear</c>) and C, when present, the bias.
/// </summary>
internal static class GemmReader
{
    /// <summary>A Gemm node: a new dense layer at the end of the chain, with its bias when the node has C.</summary>
    public static void Read(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 3);
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, inputs[0]);
        chain.RequireMatrixInput(node);
        // An empty third input name is ONNX's way of leaving C out; beta then multiplies nothing.
        bool hasBias = inputs.Length == 3 && inputs[2].Length > 0;
        if (NodeAttributes.Float(node, "alpha", 1f) != 1f || NodeAttributes.Int(node, "transA", 0) != 0
            || (hasBias && NodeAttributes.Float(node, "beta", 1f) != 1f))
        {
            throw NodeChecks.Unsupported(node, "only Gemm with alpha = 1, beta = 1 and transA = 0 is a dense layer");
        }

        // transB is a flag: any value but 0 transposes, as ONNX Runtime reads it.
        TensorProto weights = chain.Constant(node, inputs[1]);
        LayerSpec layer = chain.AddLayer(node, weights, transposed: NodeAttributes.Int(node, "transB", 0) != 0);
        if (hasBias)
        {
            layer.SetBias(node, chain.Constant(node, inputs[2]));
        }
    }
}
