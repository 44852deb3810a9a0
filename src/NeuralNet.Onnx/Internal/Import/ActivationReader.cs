using System.Globalization;
using NeuralNet.Components;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the activation nodes (Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Selu, Softplus, Gelu, and the nodes
/// standing for the SiLU and GELU formulas) as the activation of the dense layer right before them, with the attribute
/// values that make each one what NeuralNet computes (after a convolution, <see cref="ImageLayerReader"/> takes it).
/// </summary>
/// <remarks>Right after a batch or layer normalisation, an activation node becomes an activation layer after it.</remarks>
internal static class ActivationReader
{
    /// <summary>An activation node: the activation of the layer that ends the chain, one per layer.</summary>
    public static void Read(ChainState chain, NodeProto node)
    {
        string input = NodeChecks.Inputs(node, 1, 1)[0];
        NodeChecks.Outputs(node, 1);
        if (ImageLayerReader.EndsInImages(chain))
        {
            ImageLayerReader.ReadActivation(chain, node, input);
            return;
        }

        chain.TakeCurrent(node, input);
        LayerSpec? layer = chain.LastLayer;
        if (chain.EndsInNormalization)
        {
            ReadAfterNormalization(chain, node);
            return;
        }

        if (layer is null || layer.Output != input || layer.Activation is not null)
        {
            throw NodeChecks.Unsupported(node, "an activation is read only right after a dense layer (Gemm, or MatMul + Add), one per layer");
        }

        layer.Activation = Create(chain, node);
        layer.Output = node.Output[0];
        chain.Current = node.Output[0];
    }

    /// <summary>The activation <paramref name="node"/> computes, with the attribute values that make it what NeuralNet computes.</summary>
    public static Activations.Activation Create(ChainState chain, NodeProto node)
    {
        string name = chain.Fused.Contains(node) ? CompositeActivations.NameByForm[node.OpType] : OnnxActivations.NameOf(node.OpType) ?? GeluName(chain, node);
        var config = new ComponentConfig();
        switch (node.OpType)
        {
            case "Softmax":
                CheckSoftmaxAxis(chain, node);
                break;
            case "LeakyRelu":
                config.Set("slope", LeakyReluSlope(node));
                break;
            case "Elu":
                config.Set("alpha", EluAlpha(node));
                break;
            case "Selu":
                CheckSeluConstants(node);
                break;
        }

        return ComponentRegistry.Activations.Create(name, config);
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

    /// <summary>Gelu (opset 20): exact, or the tanh approximation.</summary>
    private static string GeluName(ChainState chain, NodeProto node)
    {
        if (chain.Opset < OnnxActivations.GeluOpset)
        {
            throw NodeChecks.Unsupported(node, $"Gelu is defined from opset {OnnxActivations.GeluOpset}, but the model imports opset {chain.Opset}");
        }

        return NodeAttributes.String(node, "approximate", "none") switch
        {
            "none" => "gelu",
            "tanh" => "gelu_tanh",
            string other => throw NodeChecks.Unsupported(node, $"Gelu approximate '{other}' is neither 'none' nor 'tanh'"),
        };
    }

    private static double EluAlpha(NodeProto node)
    {
        float alpha = NodeAttributes.Float(node, "alpha", 1f);
        if (!(alpha > 0f))
        {
            throw NodeChecks.Unsupported(node, $"Elu alpha {alpha.ToString("R", CultureInfo.InvariantCulture)} is not positive");
        }

        // As for LeakyRelu: the shortest decimal that rounds to the float attribute is the alpha someone wrote.
        return double.Parse(alpha.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>NeuralNet's SELU has PyTorch's fixed constants, which are Selu's defaults: other values are another function.</summary>
    private static void CheckSeluConstants(NodeProto node)
    {
        float alpha = NodeAttributes.Float(node, "alpha", (float)Activations.Selu.Alpha);
        float gamma = NodeAttributes.Float(node, "gamma", (float)Activations.Selu.Scale);
        if (alpha != (float)Activations.Selu.Alpha || gamma != (float)Activations.Selu.Scale)
        {
            throw NodeChecks.Unsupported(node, string.Create(CultureInfo.InvariantCulture, $"Selu alpha {alpha:R} and gamma {gamma:R} are not the self-normalising constants {(float)Activations.Selu.Alpha:R} and {(float)Activations.Selu.Scale:R} NeuralNet's SELU has"));
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

    /// <summary>
    /// An activation right after a batch or layer normalisation (PyTorch's Linear, BatchNorm1d, ReLU): it becomes an
    /// activation layer after the normalisation, one per normalisation.
    /// </summary>
    private static void ReadAfterNormalization(ChainState chain, NodeProto node)
    {
        NormalizationLayerSpec normalization = chain.NormalizationLayers[^1];
        if (normalization.Activation is not null)
        {
            throw NodeChecks.Unsupported(node, $"it is a second activation in a row, after {normalization.Activation} on {normalization}; NeuralNet reads one activation after a dense layer or a normalisation");
        }

        NormalizationLayerReader.CheckRoom(chain);
        normalization.Activation = Create(chain, node);
        normalization.Output = node.Output[0];
        chain.Current = node.Output[0];
    }
}
