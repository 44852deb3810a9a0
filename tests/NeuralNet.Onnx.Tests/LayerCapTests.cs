using System.Globalization;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Import refuses a graph of more dense layers than NeuralNet's own model format holds, counting them on the file's
/// bytes before it parses anything, and otherwise costs in proportion to the graph it reads.
/// </summary>
public class LayerCapTests
{
    [Fact]
    public void The_cap_is_the_one_NeuralNets_own_model_format_loads()
    {
        RoundTrip(OnnxModel.MaximumLayers).Should().NotThrow();
        RoundTrip(OnnxModel.MaximumLayers + 1).Should().Throw<Exception>().WithMessage($"*{OnnxModel.MaximumLayers}*");

        static Action RoundTrip(int layers) => () =>
        {
            using var stream = new MemoryStream();
            Architectures.Deep(layers).Save(stream);
            stream.Position = 0;
            Network.Load<float>(stream);
        };
    }

    [Theory]
    [InlineData(OnnxModel.MaximumLayers + 1)]
    [InlineData(20_000)]
    public void A_chain_over_the_cap_is_refused_before_it_is_parsed(int layers)
    {
        byte[] model = GeneratedChains.GemmChain(layers).ToByteArray();

        (Exception? refusal, long allocated) = Import(model);

        refusal.Should().BeOfType<NotSupportedException>().Which.Message.Should().Be(
            $"The ONNX graph has {Count(layers)} dense layers (Gemm and MatMul nodes); NeuralNet imports at most 1,024, the most its own model format holds.");
        allocated.Should().BeLessThan(64 << 10, "the layers are counted on the bytes, before the parser makes an object of every node");
    }

    [Fact]
    public void A_chain_at_the_cap_imports_and_computes_through_every_layer()
    {
        Network<float> network = OnnxModel.Import<float>(GeneratedChains.GemmChain(OnnxModel.MaximumLayers).ToByteArray());

        network.Layers.Should().HaveCount(OnnxModel.MaximumLayers);
        Matrix<float> inputs = Architectures.Inputs<float>(3, 1, seed: 5);
        network.Predict(inputs).ToRowMajorArray().Should().Equal(inputs.ToRowMajorArray(), "the weights alternate 2 and ½, which an even chain multiplies out exactly");
    }

    [Fact]
    public void The_cap_holds_when_the_file_holds_a_field_the_count_on_the_bytes_does_not_read()
    {
        // An unknown field written as a group (wire type 3, field 99), which the parser skips: the count on the bytes
        // gives up on it, and the graph the parser built is counted instead.
        byte[] group = [.. GeneratedChains.GemmChain(OnnxModel.MaximumLayers + 1).ToByteArray(), 0x9B, 0x06, 0x9C, 0x06];
        ModelProto.Parser.ParseFrom(group).Graph.Node.Should().HaveCount(OnnxModel.MaximumLayers + 1, "the parser skips the group");

        (Exception? refusal, _) = Import(group);

        refusal.Should().BeOfType<NotSupportedException>().Which.Message.Should().StartWith("The ONNX graph has 1,025 dense layers");
    }

    [Fact]
    public void Import_allocates_in_proportion_to_the_graph()
    {
        // Allocation is counted exactly, unlike time on a shared machine. Four times the layers and nodes must cost
        // about four times as much (collections grow by doubling, hence the margin); a step that copied a list or
        // built a string per node for every other node would cost sixteen times as much.
        long small = Import(GeneratedChains.GemmChain(OnnxModel.MaximumLayers / 4, 16_000).ToByteArray()).Allocated;
        long large = Import(GeneratedChains.GemmChain(OnnxModel.MaximumLayers, 64_000).ToByteArray()).Allocated;

        ((double)large / small).Should().BeInRange(3, 6);
    }

    /// <summary>Imports <paramref name="model"/>, returning what it threw and how many bytes the import allocated.</summary>
    internal static (Exception? Refusal, long Allocated) Import(byte[] model)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            OnnxModel.Import<float>(model);
            return (null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (Exception e)
        {
            return (e, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    private static string Count(int layers) => layers.ToString("N0", CultureInfo.InvariantCulture);
}
