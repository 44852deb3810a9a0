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
    /// <summary>The variants checked, every one of them different from the exported graph it was made from.</summary>
    private const int Variants = 1500;

    /// <summary>The fewest variants each kind of edit must really have changed (with this seed each changes at least 140).</summary>
    private const int VariantsPerMutation = 100;

    private static readonly string[] OpTypes = ["Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Identity", "Elu", "Flatten"];

    private enum Mutation
    {
        Retype,
        Rewire,
        Drop,
        Double,
        RemoveAttribute,
        SetIntAttribute,
        SetFloatAttribute,
        Reshape,
        Opset,
    }

    [Fact]
    public void Every_edited_graph_that_imports_computes_what_ONNX_Runtime_computes()
    {
        var random = new Random(20261129);
        byte[][] originals = [.. Originals()];
        var outcomes = new Dictionary<string, int>();
        var perMutation = Enum.GetValues<Mutation>().ToDictionary(m => m, _ => 0);
        var mismatches = new List<string>();
        var refused = new List<string>();
        int drawn = 0, variants = 0, undone = 0, inapplicable = 0, unchanged = 0;

        // An edit that leaves the bytes as they were (an op type or value set to what it already is, a guard that
        // did not hold) is not an edit: it is drawn again, and a variant whose edits undid each other is skipped,
        // so every variant counted really differs from the graph it was made from.
        while (variants < Variants && drawn < 2 * Variants)
        {
            byte[] original = originals[drawn++ % originals.Length];
            ModelProto model = ModelProto.Parser.ParseFrom(original);
            var edits = new List<(Mutation Kind, string Description)>();
            for (int wanted = random.Next(1, 4), attempts = 0; edits.Count < wanted && attempts < 20; attempts++)
            {
                byte[] before = model.ToByteArray();
                (Mutation kind, string? description) = Edit(model, random);
                if (description is null)
                {
                    inapplicable++;
                    continue;
                }

                if (model.ToByteArray().AsSpan().SequenceEqual(before))
                {
                    unchanged++;
                    continue;
                }

                edits.Add((kind, description));
            }

            byte[] bytes = model.ToByteArray();
            if (bytes.AsSpan().SequenceEqual(original))
            {
                undone++;
                continue;
            }

            variants++;
            foreach (Mutation kind in edits.Select(e => e.Kind).Distinct())
            {
                perMutation[kind]++;
            }

            string history = string.Join("; ", edits.Select(e => e.Description));
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
                Count(outcomes, $"{ex.GetType().Name}: {ex.Message} after {history}");
                continue;
            }

            Matrix<float> inputs = Architectures.Inputs<float>(5, network.InputSize, seed: variants);
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
                refused.Add($"{ex.Message.Split('\n')[0]} after {history}");
                continue;
            }

            double difference = served.RowCount == inputs.RowCount && served.ColumnCount == network.OutputSize
                ? OnnxRuntimeRunner.MaxAbsoluteDifference(network.PredictInTargetUnits(inputs), served)
                : double.PositiveInfinity;
            if (difference <= 1e-4)
            {
                Count(outcomes, "imported, same as ONNX Runtime");
            }
            else
            {
                Count(outcomes, "imported, different from ONNX Runtime");
                mismatches.Add($"difference {difference:G3} after {history}");
            }
        }

        output.WriteLine($"{variants:N0} edited variants from {drawn:N0} drawn: {undone:N0} whose edits undid each other skipped; "
            + $"edits drawn again: {inapplicable:N0} that did not apply to the node drawn, {unchanged:N0} that left the bytes as they were");
        foreach ((string outcome, int count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6:N0}  {outcome}");
        }

        foreach ((Mutation kind, int count) in perMutation)
        {
            output.WriteLine($"{count,6:N0}  variants edited by {kind}");
        }

        refused.Take(40).ToList().ForEach(r => output.WriteLine($"ONNX Runtime refused: {r}"));
        mismatches.ForEach(output.WriteLine);
        variants.Should().Be(Variants, "every variant counted must differ from its original");
        outcomes.Values.Sum().Should().Be(Variants, "each edited variant has one outcome");
        perMutation.Should().AllSatisfy(p => p.Value.Should().BeGreaterThanOrEqualTo(VariantsPerMutation, $"{p.Key} must really edit enough variants to be tested"));

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

    /// <summary>One random edit of <paramref name="model"/>, described; null when the kind drawn does not apply to the node drawn.</summary>
    private static (Mutation Kind, string? Description) Edit(ModelProto model, Random random)
    {
        GraphProto graph = model.Graph;
        NodeProto node = graph.Node[random.Next(graph.Node.Count)];
        string[] names = [.. graph.Input.Select(i => i.Name), .. graph.Initializer.Select(i => i.Name), .. graph.Node.SelectMany(n => n.Output)];
        var kind = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
        switch (kind)
        {
            case Mutation.Retype when node.Input.Count == 1:
                string was = node.OpType;
                node.OpType = Other(OpTypes, was, random);
                return (kind, $"{node.Name}: {was} → {node.OpType}");
            case Mutation.Rewire when node.Input.Count > 0:
                int slot = random.Next(node.Input.Count);
                node.Input[slot] = Other(names, node.Input[slot], random);
                return (kind, $"{node.Name} input {slot} ← {node.Input[slot]}");
            case Mutation.Drop when graph.Node.Count > 1:
                graph.Node.Remove(node);
                return (kind, $"dropped {node.Name}");
            case Mutation.Double:
                graph.Node.Insert(graph.Node.IndexOf(node) + 1, node.Clone());
                return (kind, $"doubled {node.Name}");
            case Mutation.RemoveAttribute when node.Attribute.Count > 0:
                AttributeProto removed = node.Attribute[random.Next(node.Attribute.Count)];
                node.Attribute.Remove(removed);
                return (kind, $"{node.Name}: removed {removed.Name}");
            case Mutation.SetIntAttribute when node.Attribute.Count > 0:
                AttributeProto integer = node.Attribute[random.Next(node.Attribute.Count)];
                integer.I = Other([-2L, -1L, 0L, 1L, 2L], integer.I, random);
                return (kind, $"{node.Name}: {integer.Name} = {integer.I}");
            case Mutation.SetFloatAttribute when node.Attribute.Count > 0:
                AttributeProto real = node.Attribute[random.Next(node.Attribute.Count)];
                real.F = Other([0f, 0.5f, 1f, 2f], real.F, random);
                return (kind, $"{node.Name}: {real.Name} = {real.F}");
            case Mutation.Reshape:
                TensorProto tensor = graph.Initializer[random.Next(graph.Initializer.Count)];
                if (tensor.Dims.Count == 2)
                {
                    (tensor.Dims[0], tensor.Dims[1]) = (tensor.Dims[1], tensor.Dims[0]);
                }
                else
                {
                    tensor.Dims.Insert(0, 1);
                }

                return (kind, $"{tensor.Name}: dims [{string.Join(", ", tensor.Dims)}]");
            case Mutation.Opset:
                model.OpsetImport[0].Version = Other([7L, 11L, 13L, 17L, 21L], model.OpsetImport[0].Version, random);
                return (kind, $"opset {model.OpsetImport[0].Version}");
            default:
                return (kind, null);
        }
    }

    /// <summary>A random choice among <paramref name="choices"/> other than <paramref name="current"/>, so that the edit changes something.</summary>
    private static TValue Other<TValue>(TValue[] choices, TValue current, Random random)
    {
        TValue[] others = [.. choices.Where(c => !EqualityComparer<TValue>.Default.Equals(c, current))];
        return others[random.Next(others.Length)];
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}
