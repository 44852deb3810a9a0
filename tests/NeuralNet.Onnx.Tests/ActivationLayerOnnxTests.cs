using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Activation layers in ONNX: each exports as its activation's node(s) after the normalisation before it, ONNX Runtime
/// serves what Predict returns, and import reads a normalisation followed by an activation back as the normalisation
/// and an activation layer. What import could not read back, export refuses by name.
/// </summary>
public class ActivationLayerOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<int, bool> Cases()
    {
        var cases = new TheoryData<int, bool>();
        foreach (int opset in new[] { OnnxExportOptions.MinimumOpsetVersion, 16, 17, 19, 20, OnnxExportOptions.MaximumOpsetVersion })
        {
            cases.Add(opset, false);
            cases.Add(opset, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exports_run_in_ONNX_Runtime_and_match_predictions(int opset, bool useFloat)
    {
        // ONNX Runtime's CPU provider has no double Erf nor exact Gelu kernel (see ToolkitActivationOnnxTests): a double
        // network takes GELU's tanh form there.
        double difference = useFloat ? CompareWithRuntime(Trained<float>(Activation.Gelu), opset) : CompareWithRuntime(Trained<double>(Activation.GeluTanh), opset);

        output.WriteLine($"{(useFloat ? "float" : "double")}, opset {opset}: max |ONNX Runtime − Predict| / max(1, max |output|) = {difference:G3}");

        // In double, measured here: 5.1e-13 below opset 17; 9.1e-11 from 17, where LayerNormalization's ε is a float
        // attribute (1e-5 rounded to float, as ToolkitLayerOnnxTests notes); 2.4e-8 from 20, where ONNX Runtime's own
        // double Gelu(approximate="tanh") kernel replaces the formula.
        double bound = useFloat ? OnnxRuntimeExportTests.FloatBound : opset >= 20 ? 1e-7 : opset >= 17 ? 1e-9 : OnnxRuntimeExportTests.DoubleBound;
        difference.Should().BeLessThanOrEqualTo(bound);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(OnnxExportOptions.MaximumOpsetVersion)]
    public void The_activation_nodes_follow_the_normalisations_and_import_back_as_activation_layers(int opset)
    {
        Network<double> network = Trained<double>(Activation.Gelu);
        byte[] bytes = OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset });
        ModelProto model = ModelProto.Parser.ParseFrom(bytes);
        string[] nodes = [.. model.Graph.Node.Select(n => n.Name)];

        nodes[..3].Should().Equal("dense0/Gemm", "batch_normalization1/BatchNormalization", "activation2/Relu");
        nodes.Should().Contain(opset >= 20 ? ["activation5/Gelu"] : ["activation5/Gelu/Erf"]);
        nodes.Should().Contain("activation8/LeakyRelu/Max", "a double leaky ReLU is written as Max(x, slope·x)");
        Network<double> imported = OnnxModel.Import<double>(bytes);

        imported.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
        imported.Predict(Inputs<double>()).Should().Be(network.Predict(Inputs<double>()));
    }

    [Fact]
    public void An_activation_layer_right_after_a_linear_dense_layer_imports_as_that_dense_layer_s_activation()
    {
        Network<float> network = Network.Sequential<float>(6).Dense(5).Activation(Activation.Tanh).Dense(3).Build(Loss.MeanSquaredError, seed: 4);

        Network<float> imported = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network));

        imported.Layers.Select(l => l.ToString()).Should().Equal("Dense(6→5, tanh)", "Dense(5→3, identity)");
        imported.Predict(Inputs<float>()).Should().Be(network.Predict(Inputs<float>()));
    }

    [Fact]
    public void A_final_softmax_after_a_normalisation_moves_into_softmax_cross_entropy_on_import()
    {
        Network<double> network = Network.Sequential<double>(6).Dense(3).BatchNormalization().Activation(Activation.Softmax).Build(Loss.MeanSquaredError, seed: 5);
        byte[] bytes = OnnxModel.ExportToBytes(network);

        Network<double> imported = OnnxModel.Import<double>(bytes, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });

        // The loss applies the softmax itself, from logits: the activation layer is not kept, Predict is unchanged.
        imported.Layers.Select(l => l.ToString()).Should().Equal("Dense(6→3, identity)", "BatchNormalization(3)");
        imported.Loss.Should().BeSameAs(Loss.SoftmaxCrossEntropy);
        OnnxRuntimeRunner.MaxAbsoluteDifference(imported.Predict(Inputs<double>()), network.Predict(Inputs<double>())).Should().BeLessThan(1e-15);
    }

    [Fact]
    public void A_fused_loss_after_a_final_activation_layer_it_does_not_apply_is_refused_on_import()
    {
        Network<float> network = Network.Sequential<float>(6).Dense(3).BatchNormalization().Activation(Activation.Relu).Build(Loss.MeanSquaredError, seed: 5);
        byte[] bytes = OnnxModel.ExportToBytes(network);

        Action import = () => OnnxModel.Import<float>(bytes, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });

        import.Should().Throw<NotSupportedException>().WithMessage("The ONNX graph ends with relu after batch_normalization(3) from 'batch_normalization1/BatchNormalization', which the loss softmax_cross_entropy cannot follow*");
    }

    [Fact]
    public void Export_refuses_an_activation_layer_on_the_inputs_naming_it()
    {
        Network<float> network = Network.Sequential<float>(6).Activation(Activation.Tanh).Dense(3).Build(Loss.MeanSquaredError);

        Action export = () => OnnxModel.ExportToBytes(network);

        export.Should().Throw<ArgumentException>().WithMessage("Layer 0, Activation(6, tanh), follows the network's inputs; ONNX import reads an activation only right after a dense layer without one or after a batch or layer normalisation*");
    }

    [Fact]
    public void Export_refuses_an_activation_layer_after_a_dense_layer_s_own_activation_naming_both()
    {
        // Dropout leaves no node, so the tanh would follow the ReLU directly: two activations in a row.
        Network<float> network = Network.Sequential<float>(6).Dense(4, Activation.Relu).Dropout(0.2).Activation(Activation.Tanh).Dense(3).Build(Loss.MeanSquaredError);

        Action export = () => OnnxModel.ExportToBytes(network);

        export.Should().Throw<ArgumentException>().WithMessage("Layer 2, Activation(4, tanh), follows layer 0, Dense(6→4, relu); ONNX import reads an activation only*");
    }

    [Fact]
    public void An_identity_activation_layer_leaves_no_node()
    {
        Network<float> network = Network.Sequential<float>(6).Dense(4).BatchNormalization().Activation(Activation.Identity).Dense(3).Build(Loss.MeanSquaredError, seed: 2);

        byte[] bytes = OnnxModel.ExportToBytes(network);

        ModelProto.Parser.ParseFrom(bytes).Graph.Node.Select(n => n.OpType).Should().Equal("Gemm", "BatchNormalization", "Gemm");
        OnnxModel.Import<float>(bytes).Predict(Inputs<float>()).Should().Be(network.Predict(Inputs<float>()));
    }

    /// <summary>Linear → BatchNorm1d → ReLU, Linear → LayerNorm → <paramref name="gelu"/> and Linear → BatchNorm1d → leaky ReLU, trained.</summary>
    private static Network<T> Trained<T>(Activation gelu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Network.Sequential<T>(6)
            .Dense(8).BatchNormalization().Activation(Activation.Relu)
            .Dense(5).LayerNormalization().Activation(gelu)
            .Dense(4).BatchNormalization().Activation(Activation.LeakyRelu(0.1))
            .Dense(3)
            .Build(Loss.MeanSquaredError, seed: 3);
        network.Fit(Inputs<T>(), Architectures.Inputs<T>(40, 3, seed: 13), new TrainingOptions { Epochs = 5, GradientDescent = new MiniBatchGradientDescent(10), Seed = 2 });
        return network;
    }

    private static Matrix<T> Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Architectures.Inputs<T>(40, 6, seed: 12);

    private static double CompareWithRuntime<T>(Network<T> network, int opset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] model = OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset });
        using var session = new InferenceSession(model);
        Matrix<T> inputs = Inputs<T>();
        Matrix<T> expected = network.Predict(inputs);
        Matrix<T> served = OnnxRuntimeRunner.Run(session, inputs);
        double scale = Math.Max(1, expected.Enumerate().Max(v => Math.Abs(double.CreateChecked(v))));
        return OnnxRuntimeRunner.MaxAbsoluteDifference(served, expected) / scale;
    }
}
