using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the other form of a dense layer: a MatMul by stored weights (inputs × outputs), then an Add of the bias.
/// </summary>
/// <remarks>
/// An Add is read only as the bias of the layer right before it, so an Add after an activation, or a second one, is
/// refused rather than folded into a layer that would then compute something else.
/// </remarks>
internal static class MatMulAddReader
{
    /// <summary>A MatMul node: a new dense layer at the end of the chain, without a bias until an Add gives one.</summary>
    public static void ReadMatMul(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, inputs[0]);
        chain.RequireMatrixInput(node);
        chain.AddLayer(node, chain.Constant(node, inputs[1]), transposed: false);
    }

    /// <summary>An Add node: the bias of the layer just read.</summary>
    public static void ReadAdd(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);

        // The bias of the layer just read, on either side of the Add (addition commutes, exporters differ).
        LayerSpec? layer = chain.LastLayer;
        string? bias = inputs[0] == chain.Current ? inputs[1] : inputs[1] == chain.Current ? inputs[0] : null;
        if (bias is null)
        {
            throw chain.UndefinedOrBranch(node, inputs[0] == chain.Current ? inputs[1] : inputs[0]);
        }

        if (layer is null || layer.Output != chain.Current || layer.HasBias || layer.Activation is not null || chain.Scaled is not null)
        {
            throw NodeChecks.Unsupported(node, "an Add is read only as the bias of the Gemm or MatMul right before it, ahead of any activation");
        }

        layer.SetBias(node, chain.Constant(node, bias));
        layer.Output = node.Output[0];
        chain.Current = node.Output[0];
    }
}
