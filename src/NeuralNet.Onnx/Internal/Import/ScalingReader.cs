using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the scalings at the two ends of a graph: <c>Div(Sub(x, mean), std)</c> at the input, as a
/// <see cref="Normalization{T}"/> layer, and <c>Add(Mul(y, std), mean)</c> ending the graph, as the network's
/// <see cref="Network{T}.TargetScaler"/>; and the feature and class names NeuralNet's exporter records.
/// </summary>
/// <remarks>
/// These are the forms NeuralNet writes (<see cref="ScalingWriter"/>) and PyTorch writes for <c>(x - mean) / std</c>
/// and <c>y * std + mean</c>. The statistics are stored tensors of one value per feature (or output), or a single value
/// for all; a divisor or factor that is 0 or negative is refused, since neither a normalisation nor a target scaler
/// holds one. A Mul is read as a target scaling only when the Add that takes it produces the graph's output; any other
/// Mul is left to the leaky-ReLU reader as before.
/// </remarks>
internal static class ScalingReader
{
    /// <summary>The Sub of <c>(x − mean) / std</c>: first in the chain, before any layer.</summary>
    public static void ReadSub(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        if (chain.Layers.Count > 0 || chain.NormalizationLayers.Count > 0 || chain.Images.Layers.Count > 0 || chain.Normalization is not null || inputs[0] != chain.Current)
        {
            throw NodeChecks.Unsupported(node, "a Sub is read only as the x − mean of an input normalisation, (x − mean) / std, on the graph's input before any layer");
        }

        RequireMatrix(chain, node);
        TensorProto mean = chain.Constant(node, inputs[1]);
        chain.PendingSub = (node, mean);
        chain.Current = node.Output[0];
    }

    /// <summary>The Div of <c>(x − mean) / std</c>, right after its Sub.</summary>
    public static void ReadDiv(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        if (chain.PendingSub is not { } sub || inputs[0] != chain.Current)
        {
            throw NodeChecks.Unsupported(node, "a Div is read only as the / std of an input normalisation, (x − mean) / std, right after its Sub");
        }

        chain.Normalization = new ScalingSpec(sub.Node, sub.Tensor, node, chain.Constant(node, inputs[1]));
        chain.PendingSub = null;
        chain.Current = node.Output[0];
    }

    /// <summary>Whether <paramref name="node"/>, a Mul, starts <c>y · std + mean</c>: it reads the end of the chain after a layer, and the Add taking it ends the graph.</summary>
    public static bool StartsTargetScaling(ChainState chain, NodeProto node)
        => node.Input.Count == 2 && node.Output.Count == 1 && chain.LastLayer is { } last && last.Output == chain.Current
            && node.Input.Contains(chain.Current)
            && chain.OutputProducer is { OpType: "Add" } add && add.Input.Contains(node.Output[0]);

    /// <summary>The Mul of <c>y · std + mean</c>.</summary>
    public static void ReadMul(ChainState chain, NodeProto node)
    {
        string factor = node.Input[0] == chain.Current ? node.Input[1] : node.Input[0];
        chain.PendingMul = (node, chain.Constant(node, factor));
        chain.Current = node.Output[0];
    }

    /// <summary>The Add of <c>y · std + mean</c>, which ends the graph.</summary>
    public static void ReadAdd(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        (NodeProto mul, TensorProto scale) = chain.PendingMul!.Value;
        string? offset = inputs[0] == chain.Current ? inputs[1] : inputs[1] == chain.Current ? inputs[0] : null;
        if (offset is null)
        {
            throw chain.UndefinedOrBranch(node, inputs[0]);
        }

        chain.TargetScaling = new ScalingSpec(node, chain.Constant(node, offset), mul, scale);
        chain.PendingMul = null;
        chain.Current = node.Output[0];
    }

    /// <summary>The normalisation layer of <paramref name="features"/> features the graph's input scaling computes.</summary>
    public static Normalization<T> Normalization<T>(ScalingSpec spec, int features)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] mean = Values<T>(spec.Offsets, spec.OffsetNode, features, "mean");
        T[] std = Values<T>(spec.Scales, spec.ScaleNode, features, "standard deviation");
        CheckPositive(std, spec.ScaleNode, "divides", "feature");
        return new Normalization<T>(mean, std);
    }

    /// <summary>The target scaler of <paramref name="outputs"/> outputs the graph's final scaling computes.</summary>
    public static StandardScaler<T> TargetScaler<T>(ScalingSpec spec, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] mean = Values<T>(spec.Offsets, spec.OffsetNode, outputs, "offset");
        T[] std = Values<T>(spec.Scales, spec.ScaleNode, outputs, "scale");
        CheckPositive(std, spec.ScaleNode, "multiplies", "output");
        return new StandardScaler<T>(mean, std);
    }

    /// <summary>Gives <paramref name="network"/> the feature and class names recorded in the model's metadata.</summary>
    public static void ReadNames<T>(ModelProto model, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[]? features = Names(model, OnnxNames.FeatureNamesKey);
        string[]? classes = Names(model, OnnxNames.ClassNamesKey);
        try
        {
            network.FeatureNames = features;
            network.ClassNames = classes;
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($"The ONNX model's recorded names do not fit the network it describes: {e.Message}", e);
        }
    }

    private static string[]? Names(ModelProto model, string key)
    {
        string? json = model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value;
        if (json is null)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw new OnnxFormatException($"The ONNX model's metadata '{key}' must be a JSON array of strings, but it is {Abbreviated(json)}.");
            }

            return [.. document.RootElement.EnumerateArray().Select(e => e.GetString()!)];
        }
        catch (JsonException e)
        {
            throw new OnnxFormatException($"The ONNX model's metadata '{key}' must be a JSON array of strings, but it is not JSON: {e.Message}", e);
        }
    }

    private static string Abbreviated(string text) => text.Length <= 80 ? $"'{text}'" : $"'{text[..80]}…' ({text.Length} characters)";

    private static void RequireMatrix(ChainState chain, NodeProto node)
    {
        if (chain.CurrentShape.Length != 2)
        {
            throw NodeChecks.Unsupported(node, $"its input '{chain.Current}' has rank {chain.CurrentShape.Length}; an input normalisation is read on batch × features");
        }
    }

    /// <summary>One value per feature, or a single value for all: a tensor of shape [], [1], [n] or [1, n].</summary>
    private static T[] Values<T>(TensorProto tensor, NodeProto node, int count, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = tensor.Dims.Count <= 2 && tensor.Dims.All(d => d == 1);
        bool vector = (tensor.Dims.Count == 1 && tensor.Dims[0] == count) || (tensor.Dims.Count == 2 && tensor.Dims[0] == 1 && tensor.Dims[1] == count);
        if (!single && !vector)
        {
            throw new OnnxFormatException(
                $"The {what} '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType}) has shape [{string.Join(", ", tensor.Dims)}]; for {count} values it must be [{count}], [1, {count}] or a single value.");
        }

        T[] values = TensorDecoder.Values<T>(tensor, node, single ? 1 : count);
        return single && count != 1 ? Enumerable.Repeat(values[0], count).ToArray() : values;
    }

    private static void CheckPositive<T>(T[] values, NodeProto node, string verb, string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!(values[k] > T.Zero))
            {
                throw NodeChecks.Unsupported(node, string.Create(CultureInfo.InvariantCulture, $"it {verb} {kind} {k} by {double.CreateChecked(values[k])}; a scaling NeuralNet reads has a positive standard deviation"));
            }
        }
    }
}
