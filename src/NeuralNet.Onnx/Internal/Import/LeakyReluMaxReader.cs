using System.Globalization;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads <c>Max(x, slope·x)</c>, a Mul by a single stored slope in [0, 1) followed by a Max of it with x, as a leaky
/// ReLU (of the dense layer or the normalisation before it): the form NeuralNet writes for double networks, whose slope a
/// float LeakyRelu alpha cannot hold.
/// </summary>
/// <remarks>
/// The Mul is held in <see cref="ChainState.Scaled"/> until its Max arrives; any other node in between, or none at
/// the end of the graph, is refused, since a Mul alone is not a layer NeuralNet has.
/// </remarks>
internal static class LeakyReluMaxReader
{
    /// <summary>The first half of <c>Max(x, slope·x)</c>, the leaky ReLU NeuralNet writes for double networks.</summary>
    public static void ReadMul(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        string? factor = inputs[0] == chain.Current ? inputs[1] : inputs[1] == chain.Current ? inputs[0] : null;
        LayerSpec? layer = chain.LastLayer;
        bool afterConvolution = ImageLayerReader.EndsInImages(chain) && chain.Images.Last is { IsConvolution: true, Activation: null } conv && conv.Output == chain.Current;
        bool afterNormalization = chain.EndsInNormalization && chain.NormalizationLayers[^1].Activation is null;
        if (factor is null || (!afterConvolution && !afterNormalization && (layer is null || layer.Output != chain.Current || layer.Activation is not null)))
        {
            throw NodeChecks.Unsupported(node, "a Mul is read only as the slope·x of a leaky ReLU, Max(x, slope·x), right after a dense layer, a convolution or a normalisation");
        }

        TensorProto slope = chain.Constant(node, factor);
        if (slope.Dims.Count > 2 || slope.Dims.Any(d => d != 1))
        {
            throw NodeChecks.Unsupported(node, $"its factor '{factor}' has shape [{string.Join(", ", slope.Dims)}], not a single slope");
        }

        double value = TensorDecoder.Values<double>(slope, node, 1)[0];
        if (value is not (>= 0 and < 1))
        {
            throw NodeChecks.Unsupported(node, $"its slope {value.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1), where Max(x, slope·x) is a leaky ReLU");
        }

        chain.Scaled = (node.Name, node.Output[0], value);
    }

    /// <summary>The second half of <c>Max(x, slope·x)</c>.</summary>
    public static void ReadMax(ChainState chain, NodeProto node)
    {
        if (node.Input.Count != 2)
        {
            throw NodeChecks.Unsupported(node, $"it takes {node.Input.Count} inputs; a Max is read only as Max(x, slope·x), a leaky ReLU");
        }

        string[] inputs = [.. node.Input];
        NodeChecks.Outputs(node, 1);
        if (chain.Scaled is not { } scaled || !((inputs[0] == chain.Current && inputs[1] == scaled.Output) || (inputs[1] == chain.Current && inputs[0] == scaled.Output)))
        {
            throw NodeChecks.Unsupported(node, "a Max is read only as Max(x, slope·x), a leaky ReLU right after a dense layer");
        }

        chain.Scaled = null;
        Activation activation = ComponentRegistry.Activations.Create("leaky_relu", new ComponentConfig().Set("slope", scaled.Slope));
        if (ImageLayerReader.EndsInImages(chain))
        {
            chain.Images.Last!.Activation = activation;
            chain.Images.Last.Output = node.Output[0];
        }
        else if (chain.EndsInNormalization)
        {
            // After a batch or layer normalisation: an activation layer after it, as ActivationReader reads one.
            NormalizationLayerReader.CheckRoom(chain);
            chain.NormalizationLayers[^1].Activation = activation;
            chain.NormalizationLayers[^1].Output = node.Output[0];
        }
        else
        {
            chain.Layers[^1].Activation = activation;
            chain.Layers[^1].Output = node.Output[0];
        }

        chain.Current = node.Output[0];
    }
}
