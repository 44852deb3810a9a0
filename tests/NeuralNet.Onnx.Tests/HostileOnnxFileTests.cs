using Google.Protobuf;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Malformed and hostile .onnx files throw OnnxFormatException, and well-formed ones outside the supported subset
/// NotSupportedException, as documented: never another exception, never an allocation the file cannot justify.
/// </summary>
public class HostileOnnxFileTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_truncation_is_refused_or_loads_a_consistent_network()
    {
        var outcomes = new Dictionary<string, int>();
        foreach (byte[] original in Originals())
        {
            for (int length = 0; length < original.Length; length++)
            {
                Count(outcomes, Outcome(original.AsSpan(0, length).ToArray()));
            }
        }

        Report(outcomes);
        outcomes.Keys.Should().BeSubsetOf(["OnnxFormatException", "NotSupportedException", "loaded"]);
        outcomes.GetValueOrDefault("OnnxFormatException").Should().BePositive();
    }

    [Fact]
    public void Thousands_of_mutated_files_throw_only_the_documented_exceptions()
    {
        var random = new Random(20261129);
        byte[][] originals = [.. Originals()];
        var outcomes = new Dictionary<string, int>();
        long worstExcess = long.MinValue;
        for (int v = 0; v < 6000; v++)
        {
            byte[] variant = (byte[])originals[v % originals.Length].Clone();
            switch (v % 4)
            {
                case 0:
                    variant[random.Next(variant.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    for (int k = 0; k < 4; k++)
                    {
                        variant[random.Next(variant.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    // A varint of 0xFF…: lengths and counts of absurd size.
                    int at = random.Next(variant.Length - 5);
                    variant.AsSpan(at, 5).Fill(0xFF);
                    break;
                default:
                    random.NextBytes(variant);
                    break;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Count(outcomes, Outcome(variant));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worstExcess = Math.Max(worstExcess, allocated - (64L * variant.Length));
        }

        Report(outcomes);
        output.WriteLine($"largest allocation beyond 64 × the file's length: {worstExcess:N0} bytes");
        outcomes.Keys.Should().BeSubsetOf(["OnnxFormatException", "NotSupportedException", "loaded"]);
        worstExcess.Should().BeLessThan(1 << 20, "a file's claims are checked against its length before anything is allocated");
    }

    [Fact]
    public void Random_bytes_an_empty_file_and_a_NeuralNet_model_file_are_not_ONNX()
    {
        Import([]).Should().Throw<OnnxFormatException>().WithMessage("*has no graph*");
        byte[] noise = new byte[4096];
        new Random(1).NextBytes(noise);
        Import(noise).Should().Throw<OnnxFormatException>();

        using var native = new MemoryStream();
        Architectures.Build<float>("relu-softmax-classifier").Save(native);
        Import(native.ToArray()).Should().Throw<OnnxFormatException>();
    }

    [Fact]
    public void Weights_of_a_non_float_type_are_named()
    {
        Import(Edit(m =>
        {
            TensorProto w = m.Graph.Initializer[0];
            w.DataType = (int)TensorProto.Types.DataType.Int64;
        })).Should().Throw<NotSupportedException>().WithMessage("The tensor 'dense0.weight'*has element type INT64; NeuralNet imports FLOAT and DOUBLE.");
    }

    [Fact]
    public void An_input_of_a_non_float_type_is_named()
    {
        Import(Edit(m => m.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.String))
            .Should().Throw<NotSupportedException>().WithMessage("The graph's input 'input' has element type STRING*");
    }

    [Fact]
    public void Data_that_does_not_fill_the_shape_is_refused()
    {
        Import(Edit(m => m.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[12])))
            .Should().Throw<OnnxFormatException>().WithMessage("The tensor 'dense0.weight'*holds 3 values; its shape [16, 12] needs 192.");
        Import(Edit(m => m.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[(16 * 12 * 4) + 3])))
            .Should().Throw<OnnxFormatException>().WithMessage("*bytes of raw data*whole FLOAT values*");
    }

    [Theory]
    [InlineData(1L << 40, 12)]
    [InlineData(-3, 12)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void Absurd_dimensions_are_refused_before_any_allocation(long rows, long columns)
    {
        byte[] model = Edit(m =>
        {
            m.Graph.Initializer[0].Dims[0] = rows;
            m.Graph.Initializer[0].Dims[1] = columns;
        });

        long before = GC.GetAllocatedBytesForCurrentThread();
        Import(model).Should().Throw<OnnxFormatException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void An_absurd_input_dimension_is_refused()
    {
        Import(Edit(m => m.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 1L << 35))
            .Should().Throw<OnnxFormatException>().WithMessage("*dimension 1 of the graph's input 'input' as 34359738368*");
    }

    [Fact]
    public void Sizes_that_do_not_chain_are_refused()
    {
        Import(Edit(m => m.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 11))
            .Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'dense0/Gemm' (Gemm) takes 12 features but its input 'input' has 11.");
    }

    [Fact]
    public void A_bias_that_cannot_broadcast_along_rows_is_refused_and_a_single_value_broadcasts()
    {
        Import(Edit(m => m.Graph.Initializer[1].Dims[0] = 8))
            .Should().Throw<OnnxFormatException>().WithMessage("The bias 'dense0.bias'*has shape [8]; the layer has 16 outputs, so it must be [16], [1, 16] or a single value.");

        byte[] single = Edit(m =>
        {
            m.Graph.Initializer[1].Dims.Clear();
            m.Graph.Initializer[1].RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.25f));
        });
        var layer = (NeuralNet.Layers.Dense<float>)OnnxModel.Import<float>(single).Layers[0];
        layer.Biases.Value.Enumerate().Should().AllSatisfy(b => b.Should().Be(0.25f));
    }

    [Fact]
    public void Non_finite_weights_are_refused()
    {
        Import(Edit(m =>
        {
            byte[] raw = m.Graph.Initializer[1].RawData.ToByteArray();
            BitConverter.GetBytes(float.NaN).CopyTo(raw, 8);
            m.Graph.Initializer[1].RawData = ByteString.CopyFrom(raw);
        })).Should().Throw<OnnxFormatException>().WithMessage("The tensor 'dense0.bias'*holds NaN at index 2; weights must be finite.");
    }

    [Fact]
    public void An_attribute_of_the_wrong_type_is_refused()
    {
        Import(Edit(m =>
        {
            AttributeProto transB = m.Graph.Node[0].Attribute.Single(a => a.Name == "transB");
            transB.Type = AttributeProto.Types.AttributeType.Float;
        })).Should().Throw<OnnxFormatException>().WithMessage("Attribute 'transB' of ONNX node 'dense0/Gemm' (Gemm) is a Float; it must be an INT.");
    }

    [Fact]
    public void An_attribute_given_twice_is_refused()
    {
        // Readers disagree on which copy counts (the first, the last), so a file that gives two cannot mean one thing.
        Import(Edit(m => m.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 0 })))
            .Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'dense0/Gemm' (Gemm) has the attribute 'transB' twice; each attribute is given once.");
    }

    [Fact]
    public void A_graph_that_refers_to_an_undefined_tensor_is_refused()
    {
        Import(Edit(m => m.Graph.Node[1].Input[0] = "nowhere"))
            .Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'dense0/Relu' (Relu) reads 'nowhere', which no input, initializer or earlier node defines.");
        Import(Edit(m => m.Graph.Node[0].Input[1] = "missing.weight"))
            .Should().Throw<OnnxFormatException>().WithMessage("*uses 'missing.weight', which no initializer or node defines.");
    }

    [Fact]
    public void A_model_without_the_default_opset_or_with_an_unknown_one_is_refused()
    {
        Import(Edit(m => m.OpsetImport.Clear())).Should().Throw<OnnxFormatException>().WithMessage("*imports no version of the default operator set*");
        Import(Edit(m => m.OpsetImport[0].Version = 99)).Should().Throw<NotSupportedException>().WithMessage("*opset 99 of ai.onnx; NeuralNet imports opsets 7 to 25.");
    }

    [Fact]
    public void Graphs_outside_the_supported_subset_are_named()
    {
        Import(Edit(m => m.Graph.Node[1].OpType = "Softsign"))
            .Should().Throw<NotSupportedException>().WithMessage("ONNX node 'dense0/Relu' (op type 'Softsign') is not supported*");
        Import(Edit(m => m.Graph.Node[0].Domain = "com.example"))
            .Should().Throw<NotSupportedException>().WithMessage("*operator domain 'com.example'*");
        Import(Edit(m => m.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transA", Type = AttributeProto.Types.AttributeType.Int, I = 1 })))
            .Should().Throw<NotSupportedException>().WithMessage("*only Gemm with alpha = 1, beta = 1 and transA = 0*");
        Import(Edit(m => m.Graph.Input.Add(m.Graph.Input[0].Clone().Also(i => i.Name = "second"))))
            .Should().Throw<NotSupportedException>().WithMessage("The ONNX graph has 2 data inputs ('input', 'second')*");
        Import(Edit(m => m.Graph.Output[0].Name = "elsewhere"))
            .Should().Throw<NotSupportedException>().WithMessage("*output 'elsewhere' is not the end of its chain*");
    }

    private static IEnumerable<byte[]> Originals()
    {
        yield return OnnxModel.ExportToBytes(Architectures.Build<float>("relu-softmax-classifier"));
        yield return OnnxModel.ExportToBytes(Architectures.Build<double>("leaky-regression"), new OnnxExportOptions { DenseEncoding = OnnxDenseEncoding.MatMulAdd });
        yield return File.ReadAllBytes(Fixture.Load("flatten_leaky_sigmoid").Path);
    }

    /// <summary>The relu-softmax classifier's export (Gemm, Relu, Gemm, Softmax) after <paramref name="edit"/>.</summary>
    private static byte[] Edit(Action<ModelProto> edit)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Architectures.Build<float>("relu-softmax-classifier")));
        edit(model);
        return model.ToByteArray();
    }

    private static Action Import(byte[] model) => () => OnnxModel.Import<float>(model);

    private static string Outcome(byte[] variant)
    {
        try
        {
            Network<float> network = OnnxModel.Import<float>(variant);

            // Whatever loaded must be a working network: sizes chain and a prediction has the promised shape.
            var prediction = network.Predict(Architectures.Inputs<float>(2, network.InputSize, seed: 1));
            prediction.ColumnCount.Should().Be(network.OutputSize);
            return "loaded";
        }
        catch (OnnxFormatException)
        {
            return "OnnxFormatException";
        }
        catch (NotSupportedException)
        {
            return "NotSupportedException";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

    private void Report(Dictionary<string, int> outcomes)
    {
        foreach ((string outcome, int count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6:N0}  {outcome}");
        }
    }
}
