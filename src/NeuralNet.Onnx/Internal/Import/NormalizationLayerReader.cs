using System.Globalization;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads <c>BatchNormalization</c> (inference form, with the running statistics) and <c>LayerNormalization</c> (over
/// the last axis) as NeuralNet's batch and layer normalisation layers, anywhere in the chain on batch × features.
/// </summary>
/// <remarks>
/// <para>
/// These are the nodes PyTorch writes for <c>nn.BatchNorm1d</c> in eval mode and for <c>nn.LayerNorm</c> from opset
/// 17, and NeuralNet's exporter writes for its own layers. ONNX's momentum weighs the old running statistic
/// (<c>running · momentum + batch · (1 − momentum)</c>), PyTorch's and NeuralNet's the new one: the layer gets
/// 1 − momentum, worked out on the shortest decimal of the float attribute, so that 0.9 gives 0.1 exactly.
/// </para>
/// <para>
/// An activation right after a normalisation (PyTorch's Linear, BatchNorm1d, ReLU) is read with it
/// (<see cref="ActivationReader"/>) and becomes an activation layer after the normalisation layer.
/// </para>
/// </remarks>
internal static class NormalizationLayerReader
{
    /// <summary>A <c>BatchNormalization</c> node in inference form.</summary>
    public static void ReadBatchNormalization(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 5, 5);
        if (node.Output.Count != 1 || node.Output[0].Length == 0)
        {
            throw NodeChecks.Unsupported(node, $"it has {node.Output.Count} outputs; only the inference form, with its one output, is read (export the model in eval mode)");
        }

        if (NodeAttributes.Int(node, "training_mode", 0) != 0)
        {
            throw NodeChecks.Unsupported(node, "training_mode is 1; only the inference form, with the running statistics, is read (export the model in eval mode)");
        }

        if (NodeAttributes.Int(node, "spatial", 1) != 1)
        {
            throw NodeChecks.Unsupported(node, "spatial is 0 (statistics per element rather than per channel); NeuralNet's batch normalisation keeps one per feature");
        }

        int features = Start(chain, node, inputs[0], "batch normalisation");
        TensorProto[] tensors = [.. inputs[1..].Select(name => PerFeature(chain, node, name, features))];
        double epsilon = Epsilon(node);
        float onnxMomentum = NodeAttributes.Float(node, "momentum", 0.9f);
        if (!(onnxMomentum >= 0f && onnxMomentum < 1f))
        {
            throw NodeChecks.Unsupported(node, $"momentum {onnxMomentum.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1): NeuralNet's batch normalisation moves its running statistics by 1 − momentum, in (0, 1]");
        }

        // In decimal, so that the float 0.9 gives 0.1 rather than 0.09999999403953552.
        double momentum = (double)(1m - decimal.Parse(onnxMomentum.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));
        Finish(chain, NormalizationLayerSpec.Batch(node, features, chain.Layers.Count, epsilon, momentum, tensors[0], tensors[1], tensors[2], tensors[3]));
    }

    /// <summary>A <c>LayerNormalization</c> node over the last axis, with one output.</summary>
    public static void ReadLayerNormalization(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 3);
        if (node.Output.Count < 1 || node.Output[0].Length == 0 || node.Output.Skip(1).Any(o => o.Length > 0))
        {
            throw NodeChecks.Unsupported(node, "it gives its mean or inverse standard deviation as outputs; only the normalised output is read");
        }

        int features = Start(chain, node, inputs[0], "layer normalisation");
        long axis = NodeAttributes.Int(node, "axis", -1);
        if (axis is not (-1 or 1))
        {
            throw NodeChecks.Unsupported(node, $"LayerNormalization over axis {axis} is not over each sample's features (axis 1 or -1)");
        }

        TensorProto gamma = PerFeature(chain, node, inputs[1], features);
        TensorProto? beta = inputs.Length == 3 && inputs[2].Length > 0 ? PerFeature(chain, node, inputs[2], features) : null;
        Finish(chain, NormalizationLayerSpec.Layer(node, features, chain.Layers.Count, Epsilon(node), gamma, beta));
    }

    /// <summary>Checks the node reads the end of the chain, batch × features, with room for one more layer; the number of features.</summary>
    private static int Start(ChainState chain, NodeProto node, string input, string what)
    {
        chain.TakeCurrent(node, input);
        if (chain.CurrentShape.Length != 2)
        {
            throw NodeChecks.Unsupported(node, $"its input '{chain.Current}' has rank {chain.CurrentShape.Length}; a {what} is read on batch × features");
        }

        if (chain.Layers.Count + chain.NormalizationLayers.Count + chain.Images.Layers.Count >= OnnxModel.MaximumLayers)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The ONNX graph has more than {OnnxModel.MaximumLayers:N0} layers; NeuralNet imports at most {OnnxModel.MaximumLayers:N0}, the most its own model format holds."));
        }

        long features = chain.CurrentShape[1];
        if (features < 0)
        {
            // The input's width is not recorded: the statistics say it, as a first dense layer's weights would.
            TensorProto gamma = chain.Constant(node, node.Input[1]);
            features = gamma.Dims.Count == 1 ? TensorDecoder.CheckDimension(gamma.Dims[0], $"dimension 0 of '{gamma.Name}'") : -1;
        }

        if (features is <= 0 or > int.MaxValue)
        {
            throw NodeChecks.Unsupported(node, $"the number of features it normalises is not known from its input '{chain.Current}' or its scale '{node.Input[1]}'");
        }

        return (int)features;
    }

    /// <summary>Refuses one more activation layer when the chain already holds as many layers as NeuralNet's model format does.</summary>
    public static void CheckRoom(ChainState chain)
    {
        int activations = chain.NormalizationLayers.Count(n => n.Activation is not null);
        if (chain.Layers.Count + chain.NormalizationLayers.Count + chain.Images.Layers.Count + activations >= OnnxModel.MaximumLayers)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The ONNX graph has more than {OnnxModel.MaximumLayers:N0} layers; NeuralNet imports at most {OnnxModel.MaximumLayers:N0}, the most its own model format holds."));
        }
    }

    private static void Finish(ChainState chain, NormalizationLayerSpec spec)
    {
        chain.NormalizationLayers.Add(spec);
        chain.Current = spec.Output;
        chain.CurrentShape = [chain.CurrentShape[0], spec.Features];
    }

    /// <summary>The stored tensor <paramref name="name"/>, checked to hold one value per feature, shape [features].</summary>
    private static TensorProto PerFeature(ChainState chain, NodeProto node, string name, int features)
    {
        TensorProto tensor = chain.Constant(node, name);
        if (tensor.Dims.Count != 1 || tensor.Dims[0] != features)
        {
            throw new OnnxFormatException(
                $"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType}) has shape [{string.Join(", ", tensor.Dims)}]; for {features} features it must be [{features}].");
        }

        return tensor;
    }

    private static double Epsilon(NodeProto node)
    {
        float epsilon = NodeAttributes.Float(node, "epsilon", 1e-5f);
        if (!(epsilon > 0f))
        {
            throw NodeChecks.Unsupported(node, $"epsilon {epsilon.ToString("R", CultureInfo.InvariantCulture)} is not positive");
        }

        // As for LeakyRelu's slope: the shortest decimal that rounds to the float attribute is the ε someone wrote.
        return double.Parse(epsilon.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
