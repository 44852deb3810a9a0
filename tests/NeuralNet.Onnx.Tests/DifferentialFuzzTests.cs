using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Structurally edited graphs (nodes retyped, rewired, dropped or doubled, attributes changed, weights reshaped,
/// opsets changed) either fail to import with a documented exception or import into a network that computes what
/// ONNX Runtime computes for the same file: the importer never reads a graph as something it is not, and accepts
/// nothing ONNX Runtime refuses.
/// </summary>
public class DifferentialFuzzTests(ITestOutputHelper output)
{
    private const int Variants = 1500;

    private static readonly string[] OpTypes = ["Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Identity", "Elu", "Flatten"];

    [Fact]
    public void Every_edited_graph_that_imports_computes_what_ONNX_Runtime_computes()
    {
        var random = new Random(20261129);
        byte[][] originals = [.. Originals()];
        var outcomes = new Dictionary<string, int>();
        var mismatches = new List<string>();
        var refused = new List<string>();
        for (int v = 0; v < Variants; v++)
        {
            ModelProto model = ModelProto.Parser.ParseFrom(originals[v % originals.Length]);
            var edits = new List<string>();
            for (int e = random.Next(1, 4); e > 0; e--)
            {
                edits.Add(Edit(model, random));
            }

            byte[] bytes = model.ToByteArray();
            Network<float> network;
            try
            {
                network = OnnxModel.Import<float>(bytes);
            }
            catch (Exception ex) when (ex is OnnxFormatException or NotSupportedException)
            {
                Count(outcomes, ex.GetType().Name);
                continue;
            }
            catch (Exception ex)
            {
                Count(outcomes, $"{ex.GetType().Name}: {ex.Message} after {string.Join("; ", edits)}");
                continue;
            }

            Matrix<float> inputs = Architectures.Inputs<float>(5, network.InputSize, seed: v);
            Matrix<float> served;
            try
            {
                using var session = new InferenceSession(bytes);
                served = OnnxRuntimeRunner.Run(session, inputs, session.InputMetadata.Keys.Single(), session.OutputMetadata.Keys.Single());
            }
            catch (OnnxRuntimeException ex)
            {
                // The importer took a graph ONNX Runtime calls invalid: listed below, and a failure.
                Count(outcomes, "imported, ONNX Runtime refused");
                refused.Add($"{ex.Message.Split('\n')[0]} after {string.Join("; ", edits)}");
                continue;
            }

            double difference = served.RowCount == inputs.RowCount && served.ColumnCount == network.OutputSize
                ? OnnxRuntimeRunner.MaxAbsoluteDifference(network.Predict(inputs), served)
                : double.PositiveInfinity;
            Count(outcomes, "imported, same as ONNX Runtime");
            if (!(difference <= 1e-4))
            {
                mismatches.Add($"difference {difference:G3} after {string.Join("; ", edits)}");
            }
        }

        foreach ((string outcome, int count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6:N0}  {outcome}");
        }

        refused.Take(40).ToList().ForEach(r => output.WriteLine($"ONNX Runtime refused: {r}"));
        mismatches.ForEach(output.WriteLine);
        // Nothing ONNX Runtime rejects as invalid imports either, and nothing else is thrown.
        outcomes.Keys.Should().BeSubsetOf(["OnnxFormatException", "NotSupportedException", "imported, same as ONNX Runtime"]);
        mismatches.Should().BeEmpty();
        outcomes.GetValueOrDefault("imported, same as ONNX Runtime").Should().BeGreaterThan(Variants / 20, "enough edited graphs import to make the comparison mean something");
    }

    private static IEnumerable<byte[]> Originals()
    {
        foreach (string name in new[] { "relu-softmax-classifier", "tanh-sigmoid-binary", "leaky-regression", "deep-mixed" })
        {
            foreach (OnnxDenseEncoding encoding in Enum.GetValues<OnnxDenseEncoding>())
            {
                ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Architectures.Build<float>(name), new OnnxExportOptions { DenseEncoding = encoding }));

                // Without NeuralNet's metadata the importer takes everything from the graph, so Predict must be the graph.
                model.MetadataProps.Clear();
                yield return model.ToByteArray();
            }
        }
    }

    private static string Edit(ModelProto model, Random random)
    {
        GraphProto graph = model.Graph;
        NodeProto node = graph.Node[random.Next(graph.Node.Count)];
        string[] names = [.. graph.Input.Select(i => i.Name), .. graph.Initializer.Select(i => i.Name), .. graph.Node.SelectMany(n => n.Output)];
        switch (random.Next(7))
        {
            case 0 when node.Input.Count == 1:
                string opType = OpTypes[random.Next(OpTypes.Length)];
                string was = node.OpType;
                node.OpType = opType;
                return $"{node.Name}: {was} → {opType}";
            case 1:
                int slot = random.Next(node.Input.Count);
                string target = names[random.Next(names.Length)];
                node.Input[slot] = target;
                return $"{node.Name} input {slot} ← {target}";
            case 2 when graph.Node.Count > 1:
                graph.Node.Remove(node);
                return $"dropped {node.Name}";
            case 3:
                graph.Node.Insert(graph.Node.IndexOf(node) + 1, node.Clone());
                return $"doubled {node.Name}";
            case 4 when node.Attribute.Count > 0:
                AttributeProto attribute = node.Attribute[random.Next(node.Attribute.Count)];
                switch (random.Next(3))
                {
                    case 0:
                        node.Attribute.Remove(attribute);
                        return $"{node.Name}: removed {attribute.Name}";
                    case 1:
                        attribute.I = random.Next(-2, 3);
                        return $"{node.Name}: {attribute.Name} = {attribute.I}";
                    default:
                        attribute.F = new[] { 0f, 0.5f, 1f, 2f }[random.Next(4)];
                        return $"{node.Name}: {attribute.Name} = {attribute.F}";
                }

            case 5:
                TensorProto tensor = graph.Initializer[random.Next(graph.Initializer.Count)];
                if (tensor.Dims.Count == 2)
                {
                    (tensor.Dims[0], tensor.Dims[1]) = (tensor.Dims[1], tensor.Dims[0]);
                }
                else
                {
                    tensor.Dims.Insert(0, 1);
                }

                return $"{tensor.Name}: dims [{string.Join(", ", tensor.Dims)}]";
            case 6:
                model.OpsetImport[0].Version = new[] { 7, 11, 13, 17, 21 }[random.Next(5)];
                return $"opset {model.OpsetImport[0].Version}";
        }

        return "no edit";
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}
