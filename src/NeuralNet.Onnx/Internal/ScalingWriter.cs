using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Writes what a network holds beside its dense layers: its input normalisation as <c>Sub</c> then <c>Div</c> at the
/// graph's input, its target scaler as <c>Mul</c> then <c>Add</c> at the graph's output, and its feature and class
/// names in the model's <c>metadata_props</c>. Import reads each back (<see cref="Import.ScalingReader"/>).
/// </summary>
internal static class ScalingWriter
{
    /// <summary><c>Div(Sub(x, mean), std)</c> with per-feature tensors in the network's element type.</summary>
    public static string Normalization<T>(GraphProto graph, Normalization<T> layer, string input, int elementType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        graph.Initializer.Add(OnnxWriter.Tensor("normalization.mean", elementType, [layer.InputSize], layer.Mean.ToArray()));
        graph.Initializer.Add(OnnxWriter.Tensor("normalization.standard_deviation", elementType, [layer.InputSize], layer.StandardDeviation.ToArray()));
        NodeProto sub = OnnxWriter.Node("Sub", "normalization/Sub", [input, "normalization.mean"], "normalization.centred");
        NodeProto div = OnnxWriter.Node("Div", "normalization/Div", [sub.Output[0], "normalization.standard_deviation"], "normalization.a");
        graph.Node.Add(sub);
        graph.Node.Add(div);
        return div.Output[0];
    }

    /// <summary><c>Add(Mul(y, std), mean)</c>: standardised predictions back in the targets' units.</summary>
    public static string TargetScaling<T>(GraphProto graph, StandardScaler<T> scaler, string input, int elementType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        graph.Initializer.Add(OnnxWriter.Tensor("target_scaling.scale", elementType, [scaler.StandardDeviation!.Count], scaler.StandardDeviation.ToArray()));
        graph.Initializer.Add(OnnxWriter.Tensor("target_scaling.offset", elementType, [scaler.Mean!.Count], scaler.Mean.ToArray()));
        NodeProto mul = OnnxWriter.Node("Mul", "target_scaling/Mul", [input, "target_scaling.scale"], "target_scaling.scaled");
        NodeProto add = OnnxWriter.Node("Add", "target_scaling/Add", [mul.Output[0], "target_scaling.offset"], "target_scaling.a");
        graph.Node.Add(mul);
        graph.Node.Add(add);
        return add.Output[0];
    }

    /// <summary>Records the names, when the network has them, as JSON arrays of strings (any text, commas and quotes included, survives).</summary>
    public static void Names(ModelProto model, IReadOnlyList<string>? featureNames, IReadOnlyList<string>? classNames)
    {
        if (featureNames is not null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxNames.FeatureNamesKey, Value = JsonArray(featureNames) });
        }

        if (classNames is not null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxNames.ClassNamesKey, Value = JsonArray(classNames) });
        }
    }

    private static string JsonArray(IReadOnlyList<string> names)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
