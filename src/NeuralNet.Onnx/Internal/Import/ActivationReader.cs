using System.Globalization;
using NeuralNet.Components;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the activation nodes (Relu, LeakyRelu, Sigmoid, Tanh, Softmax) as the activation of the dense layer right
/// before them, with the attribute values that make each one what NeuralNet computes.
/// </summary>
internal static class ActivationReader
{
    /// <summary>An activation node: the activation of the layer that ends the chain, one per layer.</summary>
    public static void Read(ChainState chain, NodeProto node)
    {
        string input = NodeChecks.Inputs(node, 1, 1)[0];
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, input);
        LayerSpec? layer = chain.LastLayer;
        if (layer is null || layer.Output != input || layer.Activation is not null)
        {
            throw NodeChecks.Unsupported(node, "an activation is read only right after a dense layer (Gemm, or MatMul + Add), one per layer");
        }

        string name = OnnxActivations.NameOf(node.OpType)!;
        var config = new ComponentConfig();
        switch (node.OpType)
        {
            case "Softmax":
                CheckSoftmaxAxis(chain, node);
                break;
            case "LeakyRelu":
                config.Set("slope", LeakyReluSlope(node));
                break;
        }

        layer.Activation = ComponentRegistry.Activations.Create(name, config);
        layer.Output = node.Output[0];
        chain.Current = node.Output[0];
    }

    private static void CheckSoftmaxAxis(ChainState chain, NodeProto node)
    {
        // Before opset 13 Softmax flattened to 2-D from its axis (default 1); since, it runs along its axis (default
        // −1). On a batch × units tensor both readings of axis 1 or −1 are "along each row".
        long axis = NodeAttributes.Int(node, "axis", chain.Opset >= 13 ? -1 : 1);
        if (axis is not (1 or -1))
        {
            throw NodeChecks.Unsupported(node, $"Softmax along axis {axis} is not along each sample (axis 1 or -1)");
        }
    }

    private static double LeakyReluSlope(NodeProto node)
    {
        float alpha = NodeAttributes.Float(node, "alpha", 0.01f);
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw NodeChecks.Unsupported(node, $"LeakyRelu alpha {alpha.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1)");
        }

        // The attribute is a float; the slope someone wrote (0.01, 0.2) is the shortest decimal that rounds to it.
        // Reading it back as that decimal gives float networks the same slope and double networks the intended one.
        return double.Parse(alpha.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
