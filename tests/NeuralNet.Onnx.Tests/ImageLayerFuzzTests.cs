using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Convolutional graphs edited where the image nodes are (their kernel, stride, pad and dilation lists, their integer
/// and auto_pad attributes, the convolution weights' dimensions, the Reshape's shape, node types, dropped or doubled
/// nodes) either fail to import with a documented exception or import into a network that computes what ONNX Runtime
/// computes for the same file.
/// </summary>
public class ImageLayerFuzzTests(ITestOutputHelper output)
{
    private const int Variants = 600;

    private static readonly string[] ImageOps = ["Conv", "MaxPool", "AveragePool"];

    private static readonly string[] OneInputOps = ["MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Relu", "Identity"];

    private static readonly string[] IntsAttributes = ["kernel_shape", "strides", "pads", "dilations"];

    private static readonly string[] IntAttributes = ["group", "ceil_mode", "count_include_pad", "storage_order", "axis", "allowzero"];

    private enum Mutation
    {
        SetInts,
        SetInt,
        AutoPad,
        RemoveAttribute,
        WeightDims,
        ReshapeShape,
        Retype,
        Drop,
        Double,
    }

    [Fact]
    public void Every_edited_CNN_that_imports_computes_what_ONNX_Runtime_computes()
    {
        var random = new Random(20261130);
        byte[][] originals = [.. Originals()];
        var outcomes = new Dictionary<string, int>();
        var perMutation = Enum.GetValues<Mutation>().ToDictionary(m => m, _ => 0);
        var failures = new List<string>();
        int variants = 0;
        for (int drawn = 0; variants < Variants && drawn < 4 * Variants; drawn++)
        {
            byte[] original = originals[drawn % originals.Length];
            ModelProto model = ModelProto.Parser.ParseFrom(original);
            var edits = new List<(Mutation Kind, string Description)>();
            for (int wanted = random.Next(1, 3), attempts = 0; edits.Count < wanted && attempts < 20; attempts++)
            {
                if (Edit(model, random) is (Mutation kind, string description))
                {
                    edits.Add((kind, description));
                }
            }

            byte[] bytes = model.ToByteArray();
            if (bytes.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            variants++;
            edits.Select(e => e.Kind).Distinct().ToList().ForEach(k => perMutation[k]++);
            string history = string.Join("; ", edits.Select(e => e.Description));
            string outcome = Outcome(bytes, variants, history, failures);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        foreach ((string outcome, int count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6:N0}  {outcome}");
        }

        foreach ((Mutation kind, int count) in perMutation)
        {
            output.WriteLine($"{count,6:N0}  variants edited by {kind}");
        }

        failures.ForEach(output.WriteLine);
        variants.Should().Be(Variants);
        perMutation.Should().AllSatisfy(p => p.Value.Should().BeGreaterThanOrEqualTo(20, $"{p.Key} must really edit enough variants to be tested"));
        failures.Should().BeEmpty();
        outcomes.GetValueOrDefault("imported, same as ONNX Runtime").Should().BeGreaterThan(Variants / 20, "enough edited graphs import to make the comparison mean something");
    }

    private static string Outcome(byte[] bytes, int seed, string history, List<string> failures)
    {
        Network<float> network;
        try
        {
            network = OnnxModel.Import<float>(bytes);
        }
        catch (Exception ex) when (ex is OnnxFormatException or NotSupportedException)
        {
            return ex.GetType().Name;
        }
        catch (Exception ex)
        {
            failures.Add($"{ex.GetType().Name}: {ex.Message} after {history}");
            return "other exception";
        }

        Matrix<float> inputs = Architectures.Inputs<float>(3, network.InputSize, seed);
        Matrix<float> served;
        try
        {
            using var session = new InferenceSession(bytes);
            using var options = new RunOptions();
            string inputName = session.InputMetadata.Keys.Single();
            long[] shape = [.. session.InputMetadata[inputName].Dimensions.Select(d => (long)d)];
            shape[0] = inputs.RowCount;

            // A graph whose input is [N, C, H, W] takes the same values as rows of C·H·W.
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs.ToRowMajorArray(), shape);
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [inputName], [input], [session.OutputMetadata.Keys.Single()]);
            long[] outShape = results[0].GetTensorTypeAndShape().Shape;
            float[] values = results[0].GetTensorDataAsSpan<float>().ToArray();
            served = outShape.Length == 2 && outShape[0] == inputs.RowCount
                ? Matrix<float>.Build.Dense((int)outShape[0], (int)outShape[1], (i, j) => values[(i * (int)outShape[1]) + j])
                : Matrix<float>.Build.Dense(1, 1);
        }
        catch (OnnxRuntimeException ex)
        {
            failures.Add($"imported, ONNX Runtime refused: {ex.Message.Split('\n')[0]} after {history}");
            return "imported, ONNX Runtime refused";
        }

        double difference = served.RowCount == inputs.RowCount && served.ColumnCount == network.OutputSize
            ? OnnxRuntimeRunner.MaxAbsoluteDifference(network.Infer(inputs), served)
            : double.PositiveInfinity;
        if (difference <= 1e-4)
        {
            return "imported, same as ONNX Runtime";
        }

        failures.Add($"imported, difference {difference:G3} after {history}");
        return "imported, different from ONNX Runtime";
    }

    private static IEnumerable<byte[]> Originals()
    {
        foreach (string name in new[] { "issue-cnn-drop-edges", "stride2-same-average", "explicit-global-pool", "valid-average-drop-edges" })
        {
            // Logits: Infer is the graph whatever loss import infers.
            yield return OnnxModel.ExportToBytes(ImageArchitectures.Build<float>(name), new OnnxExportOptions { Output = OnnxOutput.Logits });
        }

        foreach (string name in new[] { "cnn_padding_avgpool", "cnn_global_pool" })
        {
            yield return File.ReadAllBytes(Fixture.Load(name).Path);
        }
    }

    /// <summary>One random edit of <paramref name="model"/>, described; null when it did not apply.</summary>
    private static (Mutation Kind, string Description)? Edit(ModelProto model, Random random)
    {
        GraphProto graph = model.Graph;
        NodeProto node = graph.Node[random.Next(graph.Node.Count)];
        NodeProto[] image = [.. graph.Node.Where(n => ImageOps.Contains(n.OpType))];
        var kind = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
        switch (kind)
        {
            case Mutation.SetInts:
            {
                NodeProto target = image[random.Next(image.Length)];
                string name = IntsAttributes[random.Next(IntsAttributes.Length)];
                long[] values = [.. Enumerable.Range(0, new[] { 1, 2, 4 }[random.Next(3)]).Select(_ => (long)random.Next(-1, 4))];
                var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
                attribute.Ints.AddRange(values);
                Replace(target, attribute);
                return (kind, $"{target.Name}: {name} = [{string.Join(", ", values)}]");
            }

            case Mutation.SetInt:
            {
                string name = IntAttributes[random.Next(IntAttributes.Length)];
                long value = random.Next(-1, 3);
                Replace(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
                return (kind, $"{node.Name}: {name} = {value}");
            }

            case Mutation.AutoPad:
            {
                NodeProto target = image[random.Next(image.Length)];
                string value = new[] { "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER" }[random.Next(4)];
                Replace(target, new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });
                if (random.Next(2) == 0 && target.Attribute.FirstOrDefault(a => a.Name == "pads") is { } pads)
                {
                    target.Attribute.Remove(pads);
                }

                return (kind, $"{target.Name}: auto_pad = {value}");
            }

            case Mutation.RemoveAttribute when node.Attribute.Count > 0:
                AttributeProto removed = node.Attribute[random.Next(node.Attribute.Count)];
                node.Attribute.Remove(removed);
                return (kind, $"{node.Name}: removed {removed.Name}");
            case Mutation.WeightDims:
            {
                TensorProto[] weights = [.. graph.Initializer.Where(t => t.Dims.Count == 4)];
                TensorProto tensor = weights[random.Next(weights.Length)];
                int a = random.Next(4), b = random.Next(4);
                (tensor.Dims[a], tensor.Dims[b]) = (tensor.Dims[b], tensor.Dims[a]);
                return (kind, $"{tensor.Name}: dims [{string.Join(", ", tensor.Dims)}]");
            }

            case Mutation.ReshapeShape:
            {
                TensorProto? shape = graph.Initializer.FirstOrDefault(t => t.DataType == (int)TensorProto.Types.DataType.Int64 && t.Dims.Count == 1 && t.Dims[0] <= 4);
                if (shape is null)
                {
                    return null;
                }

                long[] values = [.. Enumerable.Range(0, (int)shape.Dims[0]).Select(k => BitConverter.ToInt64(shape.RawData.Span[(k * 8)..]))];
                int slot = random.Next(values.Length);
                values[slot] = new long[] { -1, 0, 1, 2, values[slot] * 2 }[random.Next(5)];
                shape.RawData = ByteString.CopyFrom([.. values.SelectMany(BitConverter.GetBytes)]);
                return (kind, $"{shape.Name} = [{string.Join(", ", values)}]");
            }

            case Mutation.Retype when node.Input.Count == 1:
                string was = node.OpType;
                node.OpType = OneInputOps.Where(o => o != was).ElementAt(random.Next(OneInputOps.Length - (OneInputOps.Contains(was) ? 1 : 0)));
                return (kind, $"{node.Name}: {was} → {node.OpType}");
            case Mutation.Drop when graph.Node.Count > 1:
                graph.Node.Remove(node);
                return (kind, $"dropped {node.Name}");
            case Mutation.Double:
                graph.Node.Insert(graph.Node.IndexOf(node) + 1, node.Clone());
                return (kind, $"doubled {node.Name}");
            default:
                return null;
        }
    }

    private static void Replace(NodeProto node, AttributeProto attribute)
    {
        AttributeProto? existing = node.Attribute.FirstOrDefault(a => a.Name == attribute.Name);
        if (existing is not null)
        {
            node.Attribute.Remove(existing);
        }

        node.Attribute.Add(attribute);
    }
}
