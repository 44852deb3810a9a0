using System.Numerics;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>Convolutional networks exported to ONNX and run in ONNX Runtime give NeuralNet's own predictions.</summary>
public class ImageLayerExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string name in ImageArchitectures.Names)
        {
            foreach (int opset in new[] { OnnxExportOptions.MinimumOpsetVersion, 17, OnnxExportOptions.MaximumOpsetVersion })
            {
                cases.Add(name, opset);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_exports_match_predictions_within_1e5(string architecture, int opset)
    {
        Network<float> network = ImageArchitectures.Build<float>(architecture);
        double difference = Compare(network, new OnnxExportOptions { OpsetVersion = opset });
        output.WriteLine($"max |ONNX Runtime − Predict| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(OnnxRuntimeExportTests.FloatBound);
    }

    /// <summary>
    /// ONNX Runtime's CPU provider has no double Conv kernel, so a double network's graph runs there with its tensors
    /// made float: the graph is checked in float32, its double values by importing them back (round-trip tests).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_exports_run_in_ONNX_Runtime_once_made_float_and_match_predictions_within_1e5(string architecture, int opset)
    {
        Network<double> network = ImageArchitectures.Build<double>(architecture);
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset }));
        model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Double).Should().NotBeEmpty("the double network's weights go out as DOUBLE");

        using var session = new InferenceSession(AsFloat(model).ToByteArray());
        Matrix<double> inputs = Architectures.Inputs<double>(33, network.InputSize, seed: 11);
        Matrix<float> served = OnnxRuntimeRunner.Run(session, inputs.Map(v => (float)v));
        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(served.Map(v => (double)v), network.Predict(inputs));
        output.WriteLine($"max |ONNX Runtime (float) − Predict (double)| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(OnnxRuntimeExportTests.FloatBound);
    }

    [Fact]
    public void The_graph_takes_rows_reshapes_them_to_images_and_flattens_them_before_the_dense_layer()
    {
        Network<float> network = ImageArchitectures.Build<float>("issue-cnn-drop-edges");
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(network));

        model.Graph.Node.Select(n => n.OpType).Should().Equal("Reshape", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax");
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue.Should().Be(144, "the input stays batch × C·H·W, as Predict takes it");
        TensorProto shape = model.Graph.Initializer.Single(t => t.Name == model.Graph.Node[0].Input[1]);
        shape.DataType.Should().Be((int)TensorProto.Types.DataType.Int64);
        Enumerable.Range(0, 4).Select(d => BitConverter.ToInt64(shape.RawData.Span[(d * 8)..])).Should().Equal(-1, 1, 12, 12);

        NodeProto conv = model.Graph.Node[1];
        Ints(conv, "kernel_shape").Should().Equal(3, 3);
        Ints(conv, "strides").Should().Equal(1, 1);
        Ints(conv, "pads").Should().Equal(0, 0, 0, 0);
        model.Graph.Initializer.Single(t => t.Name == conv.Input[1]).Dims.Should().Equal(4, 1, 3, 3);
        Ints(model.Graph.Node[6], "kernel_shape").Should().Equal(2, 2);
        model.Graph.Node[6].Attribute.Should().NotContain(a => a.Name == "pads" || a.Name == "ceil_mode");
    }

    [Theory]
    [InlineData("stride2-same-average", 1, 1, 2, 2)]
    [InlineData("explicit-global-pool", 2, 1, 2, 1)]
    [InlineData("gelu-same-stride1", 0, 0, 1, 1)]
    public void Conv_pads_are_top_left_bottom_right(string architecture, int top, int left, int bottom, int right)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(ImageArchitectures.Build<float>(architecture)));
        Ints(model.Graph.Node.First(n => n.OpType == "Conv"), "pads").Should().Equal(top, left, bottom, right);
    }

    [Fact]
    public void Global_average_pooling_is_followed_by_a_flatten_as_the_layer_gives_flat_features()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(ImageArchitectures.Build<float>("explicit-global-pool")));
        model.Graph.Node.Select(n => n.OpType).Should().ContainInConsecutiveOrder("GlobalAveragePool", "Flatten", "Gemm");
    }

    [Fact]
    public void A_trained_CNN_serves_the_same_classes()
    {
        // Bright quadrant classification: a trained network must agree class by class, not only on random weights.
        var random = new Random(3);
        const int samples = 96;
        var inputs = Matrix<float>.Build.Dense(samples, 64, (_, _) => (float)random.NextDouble() * 0.2f);
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = i % 4;
            int top = labels[i] / 2 * 4, left = labels[i] % 2 * 4;
            for (int y = top; y < top + 4; y++)
            {
                for (int x = left; x < left + 4; x++)
                {
                    inputs[i, (y * 8) + x] += 1f;
                }
            }
        }

        Network<float> network = Network.Sequential(1, 8, 8).Conv2D(4, kernel: 3, Activation.Relu, padding: Padding.Same).MaxPool2D(2).Flatten().Dense(4).Build(Loss.SoftmaxCrossEntropy, seed: 2);
        network.Fit(inputs, labels, new TrainingOptions { Epochs = 30, LearningRate = 0.05 });
        network.PredictClasses(inputs).Should().Equal(labels);

        using var session = new InferenceSession(OnnxModel.ExportToBytes(network));
        Matrix<float> served = OnnxRuntimeRunner.Run(session, inputs);
        Enumerable.Range(0, samples).Select(i => served.Row(i).MaximumIndex()).Should().Equal(labels);
    }

    [Fact]
    public void An_image_layer_after_the_images_have_ended_is_refused_naming_it()
    {
        var conv = new Conv2D<float>(new ImageShape(1, 4, 4), 2, 3);
        var layers = new Layer<float>[] { new Dense<float>(16, 16), conv, new Flatten<float>(new ImageShape(2, 2, 2)), new Dense<float>(8, 2) };
        var network = new Network<float>(layers, Loss.MeanSquaredError, seed: 1);

        Action export = () => OnnxModel.ExportToBytes(network);

        export.Should().Throw<ArgumentException>().WithMessage("Layer 1, Conv2D(1×4×4→2×2×2*works on images after Dense(16→16*has ended them*");
    }

    /// <summary>The model with its DOUBLE tensors, input and output made FLOAT.</summary>
    private static ModelProto AsFloat(ModelProto model)
    {
        foreach (TensorProto tensor in model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Double))
        {
            byte[] raw = tensor.RawData.ToByteArray();
            float[] values = [.. Enumerable.Range(0, raw.Length / 8).Select(k => (float)BitConverter.ToDouble(raw, k * 8))];
            tensor.DataType = (int)TensorProto.Types.DataType.Float;
            tensor.RawData = ByteString.CopyFrom([.. values.SelectMany(BitConverter.GetBytes)]);
        }

        foreach (ValueInfoProto value in model.Graph.Input.Concat(model.Graph.Output))
        {
            value.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
        }

        return model;
    }

    [Theory]
    [InlineData("conv2d0.weight")]
    [InlineData("conv2d0.image")]
    [InlineData("max_pool2d1.a")]
    [InlineData("dense5.flat")]
    public void Input_and_output_names_may_not_be_the_image_layers_tensor_names(string name)
    {
        Network<float> network = ImageArchitectures.Build<float>("issue-cnn-drop-edges");

        Action export = () => OnnxModel.ExportToBytes(network, new OnnxExportOptions { InputName = name });

        export.Should().Throw<ArgumentException>().WithMessage($"InputName '{name}' would clash with a tensor name the exporter generates*");
    }

    private static long[] Ints(NodeProto node, string name) => [.. node.Attribute.Single(a => a.Name == name).Ints];

    private static double Compare<T>(Network<T> network, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(OnnxModel.ExportToBytes(network, options));
        Matrix<T> inputs = Architectures.Inputs<T>(33, network.InputSize, seed: 11);
        return OnnxRuntimeRunner.MaxAbsoluteDifference(OnnxRuntimeRunner.Run(session, inputs), network.Predict(inputs));
    }
}
