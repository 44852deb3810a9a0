using System.Globalization;
using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Writes batch normalisation as ONNX's <c>BatchNormalization</c> (inference form, with the running statistics) and
/// layer normalisation as <c>LayerNormalization</c> from opset 17, or below it as its formula
/// <c>(x − ReduceMean(x)) / Sqrt(ReduceMean((x − mean)²) + ε) · γ + β</c> over the last axis.
/// </summary>
internal static class NormalizationLayerWriter
{
    /// <summary>The first opset with the <c>LayerNormalization</c> operator.</summary>
    public const int LayerNormalizationOpset = 17;

    public static string BatchNormalization<T>(GraphProto graph, BatchNormalization<T> layer, string prefix, string input, int elementType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long[] dims = [layer.InputSize];
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.gamma", elementType, dims, layer.Gamma.Value.ToColumnMajorArray()));
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.beta", elementType, dims, layer.Beta.Value.ToColumnMajorArray()));
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.running_mean", elementType, dims, layer.RunningMean.ToArray()));
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.running_variance", elementType, dims, layer.RunningVariance.ToArray()));
        NodeProto node = OnnxWriter.Node(
            "BatchNormalization",
            $"{prefix}/BatchNormalization",
            [input, $"{prefix}.gamma", $"{prefix}.beta", $"{prefix}.running_mean", $"{prefix}.running_variance"],
            $"{prefix}.a");
        node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)layer.Epsilon });
        node.Attribute.Add(new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = (float)(1 - layer.Momentum) });
        graph.Node.Add(node);
        return node.Output[0];
    }

    public static string LayerNormalization<T>(GraphProto graph, LayerNormalization<T> layer, string prefix, string input, int elementType, int opset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long[] dims = [layer.InputSize];
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.gamma", elementType, dims, layer.Gamma.Value.ToColumnMajorArray()));
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.beta", elementType, dims, layer.Beta.Value.ToColumnMajorArray()));
        if (opset >= LayerNormalizationOpset)
        {
            NodeProto node = OnnxWriter.Node("LayerNormalization", $"{prefix}/LayerNormalization", [input, $"{prefix}.gamma", $"{prefix}.beta"], $"{prefix}.a");
            node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
            node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)layer.Epsilon });
            graph.Node.Add(node);
            return node.Output[0];
        }

        // Opsets 13 to 16: the formula, with ReduceMean's axes as an attribute (an input only from opset 18).
        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.epsilon", elementType, [], [T.CreateChecked(layer.Epsilon)]));
        NodeProto mean = Mean(prefix, "ReduceMean", input, $"{prefix}.mean");
        NodeProto centred = OnnxWriter.Node("Sub", $"{prefix}/Sub", [input, mean.Output[0]], $"{prefix}.centred");
        NodeProto squared = OnnxWriter.Node("Mul", $"{prefix}/Square", [centred.Output[0], centred.Output[0]], $"{prefix}.squared");
        NodeProto variance = Mean(prefix, "ReduceMeanSquares", squared.Output[0], $"{prefix}.variance");
        NodeProto shifted = OnnxWriter.Node("Add", $"{prefix}/AddEpsilon", [variance.Output[0], $"{prefix}.epsilon"], $"{prefix}.shifted");
        NodeProto deviation = OnnxWriter.Node("Sqrt", $"{prefix}/Sqrt", [shifted.Output[0]], $"{prefix}.deviation");
        NodeProto normalized = OnnxWriter.Node("Div", $"{prefix}/Div", [centred.Output[0], deviation.Output[0]], $"{prefix}.normalized");
        NodeProto scaled = OnnxWriter.Node("Mul", $"{prefix}/Mul", [normalized.Output[0], $"{prefix}.gamma"], $"{prefix}.scaled");
        NodeProto shiftedOut = OnnxWriter.Node("Add", $"{prefix}/Add", [scaled.Output[0], $"{prefix}.beta"], $"{prefix}.a");
        graph.Node.AddRange([mean, centred, squared, variance, shifted, deviation, normalized, scaled, shiftedOut]);
        return shiftedOut.Output[0];
    }

    private static NodeProto Mean(string prefix, string what, string input, string output)
    {
        NodeProto node = OnnxWriter.Node("ReduceMean", string.Create(CultureInfo.InvariantCulture, $"{prefix}/{what}"), [input], output);
        var axes = new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints };
        axes.Ints.Add(-1);
        node.Attribute.Add(axes);
        node.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        return node;
    }
}
