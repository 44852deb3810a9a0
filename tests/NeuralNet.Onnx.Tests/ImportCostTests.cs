using System.Globalization;
using Google.Protobuf;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Import costs memory in proportion to the file's bytes, however many times the file makes the importer use a name
/// or a dimension: a description is built only for a message that is thrown.
/// </summary>
public class ImportCostTests
{
    /// <summary>A long name, as a file may give any tensor or node; it must not be copied once per use.</summary>
    private static readonly string LongName = new('n', 16_000);

    [Fact]
    public void An_input_of_many_dimensions_costs_no_more_than_its_bytes()
    {
        // Rank 50,000 (all ones) under a long name, flattened by a node with a long name: every dimension is checked,
        // once when the input is read and once when Flatten multiplies it in.
        var graph = new GraphProto();
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(Enumerable.Range(0, 50_000).Select(_ => new TensorShapeProto.Types.Dimension { DimValue = 1 }));
        graph.Input.Add(new ValueInfoProto
        {
            Name = LongName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        });
        string flat = GeneratedChains.Append(graph, "Flatten", LongName + ".flatten", [LongName], "flat");
        graph.Initializer.Add(Scalar("w", 2f));
        graph.Output.Add(GeneratedChains.Matrix(GeneratedChains.Append(graph, "Gemm", "g", [flat, "w"], "y")));

        AssertCostsNoMoreThanItsBytes(Model(graph), layers: 1);
    }

    [Fact]
    public void A_bias_shared_by_every_layer_costs_no_more_than_its_bytes()
    {
        // One bias tensor with a long name, given to 1,000 layers under short aliases (Identity of Identity of it):
        // it is decoded once per layer, and its name must not be copied each time.
        const int layers = 1000;
        var graph = new GraphProto();
        graph.Input.Add(GeneratedChains.Matrix("x"));
        graph.Initializer.Add(Scalar(LongName, 0.25f));
        string bias = GeneratedChains.Append(graph, "Identity", "alias", [LongName], "b0");
        string[] aliases = [.. Enumerable.Range(0, layers).Select(l => bias = l == 0 ? bias : GeneratedChains.Append(graph, "Identity", $"a{l}", [bias], $"b{l}"))];
        string current = "x";
        for (int l = 0; l < layers; l++)
        {
            string index = l.ToString(CultureInfo.InvariantCulture);
            graph.Initializer.Add(Scalar("w" + index, 1f));
            current = GeneratedChains.Append(graph, "Gemm", "g" + index, [current, "w" + index, aliases[l]], "y" + index);
        }

        graph.Output.Add(GeneratedChains.Matrix(current));

        AssertCostsNoMoreThanItsBytes(Model(graph), layers);
    }

    [Fact]
    public void A_refused_dimension_is_still_described_in_full()
    {
        // Descriptions are formatted only on refusal: each place that checks a dimension still names it.
        var graph = new GraphProto();
        var shape = new TensorShapeProto();
        shape.Dim.Add([new() { DimParam = "batch" }, new() { DimValue = 1 << 16 }, new() { DimValue = 1 << 16 }]);
        graph.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } });
        string flat = GeneratedChains.Append(graph, "Flatten", "f", ["x"], "flat");
        graph.Initializer.Add(Scalar("w", 1f));
        graph.Output.Add(GeneratedChains.Matrix(GeneratedChains.Append(graph, "Gemm", "g", [flat, "w"], "y")));
        FluentActions.Invoking(() => OnnxModel.Import<float>(Model(graph)))
            .Should().Throw<OnnxFormatException>().WithMessage("The ONNX model gives the features Flatten 'f' produces as 4294967296; a dimension must be from 0 to 2147483647.");

        graph.Input[0].Type.TensorType.Shape.Dim.RemoveAt(2);
        graph.Initializer[0].Dims[1] = -5;
        FluentActions.Invoking(() => OnnxModel.Import<float>(Model(graph)))
            .Should().Throw<OnnxFormatException>().WithMessage("The ONNX model gives dimension 1 of 'w' as -5; a dimension must be from 0 to 2147483647.");
    }

    private static void AssertCostsNoMoreThanItsBytes(byte[] model, int layers)
    {
        (Exception? refusal, long allocated) = LayerCapTests.Import(model);

        refusal.Should().BeNull();
        OnnxModel.Import<float>(model).Layers.Should().HaveCount(layers);
        allocated.Should().BeLessThan((64L * model.Length) + (1 << 20), $"a file of {model.Length:N0} bytes must not cost more than 64 times its length, as the hostile-file tests require");
    }

    private static TensorProto Scalar(string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) };
        tensor.Dims.Add([1, 1]);
        return tensor;
    }

    private static byte[] Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }
}
