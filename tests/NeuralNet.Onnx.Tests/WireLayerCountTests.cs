using System.Text;
using Google.Protobuf;
using NeuralNet.Onnx.Internal.Import;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// The count of layers taken on a file's bytes, before parsing, is the count of the graph the parser builds from
/// them, whenever it gives one: it may give up on a file, never count it wrong.
/// </summary>
public class WireLayerCountTests(ITestOutputHelper output)
{
    [Fact]
    public void The_count_agrees_with_the_parser_on_thousands_of_mutated_files()
    {
        var random = new Random(20261207);
        byte[][] originals = [.. Originals()];
        int agreed = 0, gaveUp = 0, malformed = 0;
        var disagreements = new List<string>();
        for (int v = 0; v < 4000; v++)
        {
            byte[] variant = (byte[])originals[v % originals.Length].Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = random.Next(variant.Length);
                variant[at] = v % 2 == 0 ? (byte)(variant[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
            }

            long? parsed = Parsed(variant);
            if (!WireLayerCount.TryCount(variant, out long counted))
            {
                gaveUp++;
            }
            else if (parsed is null)
            {
                malformed++;
            }
            else if (parsed == counted)
            {
                agreed++;
            }
            else
            {
                disagreements.Add($"variant {v}: {counted} counted on the bytes, {parsed} in the parsed graph");
            }
        }

        output.WriteLine($"{agreed} agreed, {gaveUp} given up on, {malformed} counted but not parsed");
        disagreements.Should().BeEmpty();
        agreed.Should().BeGreaterThan(2000, "most single-byte edits leave a file both readable and parseable");
    }

    [Fact]
    public void A_graph_written_in_two_parts_is_counted_whole_as_the_parser_merges_it()
    {
        byte[] twice = [.. GeneratedChains.GemmChain(3).ToByteArray(), .. GeneratedChains.GemmChain(4).ToByteArray()];

        Parsed(twice).Should().Be(7);
        WireLayerCount.TryCount(twice, out long layers).Should().BeTrue();
        layers.Should().Be(7);
    }

    [Theory]
    [InlineData("Relu", "Gemm", "", 1)]
    [InlineData("Gemm", "Relu", "", 0)]
    [InlineData("MatMul", "MatMul", "ai.onnx", 1)]
    [InlineData("Gemm", "Gemm", "com.example", 0)]
    public void A_node_counts_by_its_last_op_type_and_its_domain(string first, string last, string domain, long expected)
    {
        // The op type written twice in one node, as protobuf allows: the parser keeps the last.
        byte[] node = [.. new NodeProto { OpType = first, Domain = domain }.ToByteArray(), .. Field(4, Encoding.UTF8.GetBytes(last))];
        byte[] model = Field(7, Field(1, node));

        ModelProto.Parser.ParseFrom(model).Graph.Node.Single().OpType.Should().Be(last);
        WireLayerCount.TryCount(model, out long layers).Should().BeTrue();
        layers.Should().Be(expected);
    }

    [Fact]
    public void A_group_or_a_truncated_field_makes_it_give_up()
    {
        byte[] chain = GeneratedChains.GemmChain(2).ToByteArray();

        WireLayerCount.TryCount([.. chain, 0x9B, 0x06, 0x9C, 0x06], out _).Should().BeFalse("a group is a field it does not read");
        WireLayerCount.TryCount(chain.AsSpan(0, chain.Length - 1), out _).Should().BeFalse("the last field runs past the data");
    }

    private static long? Parsed(byte[] model)
    {
        try
        {
            GraphProto? graph = ModelProto.Parser.ParseFrom(model).Graph;
            return graph?.Node.Count(n => LayerCap.IsLayer(n.OpType, n.Domain)) ?? 0;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>A length-delimited protobuf field: its tag, its length and <paramref name="payload"/>.</summary>
    private static byte[] Field(int number, byte[] payload)
    {
        using var stream = new MemoryStream();
        var coded = new CodedOutputStream(stream);
        coded.WriteTag(number, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(payload));
        coded.Flush();
        return stream.ToArray();
    }

    private static IEnumerable<byte[]> Originals()
    {
        yield return GeneratedChains.GemmChain(40, 5).ToByteArray();
        yield return OnnxModel.ExportToBytes(Architectures.Build<float>("deep-mixed"));
        yield return OnnxModel.ExportToBytes(Architectures.Build<double>("leaky-regression"), new OnnxExportOptions { DenseEncoding = OnnxDenseEncoding.MatMulAdd });
        yield return File.ReadAllBytes(Fixture.Load("matmul_add").Path);
        yield return File.ReadAllBytes(Fixture.Load("image_flatten_logits").Path);
    }
}
