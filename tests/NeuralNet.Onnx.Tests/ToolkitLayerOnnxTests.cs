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
/// Dropout, batch normalisation and layer normalisation in ONNX: dropout leaves the inference graph, batch
/// normalisation is a <c>BatchNormalization</c> node with the running statistics, layer normalisation a
/// <c>LayerNormalization</c> node from opset 17 and its formula below; ONNX Runtime serves what Predict returns.
/// </summary>
public class ToolkitLayerOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<int, bool> Cases()
    {
        var cases = new TheoryData<int, bool>();
        foreach (int opset in new[] { OnnxExportOptions.MinimumOpsetVersion, 16, 17, OnnxExportOptions.MaximumOpsetVersion })
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
        double difference = useFloat ? CompareWithRuntime(Trained<float>(), opset) : CompareWithRuntime(Trained<double>(), opset);

        output.WriteLine($"{(useFloat ? "float" : "double")}, opset {opset}: max |ONNX Runtime − Predict| / max(1, max |output|) = {difference:G3}");
        // LayerNormalization's epsilon attribute is a float: in double, 1e-5 rounded to float (9.99999975e-6) moves the
        // output by about 3e-12 here, so the operator (opset 17 on) is held to 1e-11; the formula below it carries ε exactly.
        double bound = useFloat ? OnnxRuntimeExportTests.FloatBound : opset >= 17 ? 1e-11 : OnnxRuntimeExportTests.DoubleBound;
        difference.Should().BeLessThanOrEqualTo(bound);
    }

    [Theory]
    [InlineData(13, "ReduceMean")]
    [InlineData(17, "LayerNormalization")]
    public void The_graph_has_no_dropout_one_batch_normalization_and_layer_normalization_by_opset(int opset, string layerNormOp)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Trained<double>(), new OnnxExportOptions { OpsetVersion = opset }));
        string[] ops = [.. model.Graph.Node.Select(n => n.OpType)];

        ops.Should().NotContain("Dropout", "an inference graph has no dropout");
        ops.Count(op => op == "BatchNormalization").Should().Be(1);
        ops.Should().Contain(layerNormOp);
        if (opset < 17)
        {
            ops.Should().NotContain("LayerNormalization", "the operator exists only from opset 17");
        }
    }

    [Theory]
    [InlineData(17)]
    [InlineData(OnnxExportOptions.MaximumOpsetVersion)]
    public void Exports_from_opset_17_import_back_with_the_same_layers_and_running_statistics(int opset)
    {
        Network<double> network = Trained<double>();
        Network<double> imported = OnnxModel.Import<double>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset }));

        // Dropout leaves the inference graph, so the imported network is the others in order.
        imported.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Where(l => l is not Dropout<double>).Select(l => l.ToString()));
        var norm = (BatchNormalization<double>)imported.Layers[1];
        var original = (BatchNormalization<double>)network.Layers[1];
        norm.RunningMean.Should().Equal(original.RunningMean);
        norm.RunningVariance.Should().Equal(original.RunningVariance);
        norm.Momentum.Should().Be(original.Momentum);
        Matrix<double> inputs = Inputs<double>();

        // Only ε changes, rounded to a float attribute and read back as the decimal it rounds from: 1e-5 again.
        imported.Predict(inputs).Should().Be(network.Predict(inputs));
    }

    [Fact]
    public void Import_refuses_the_layer_normalisation_formula_below_opset_17_with_a_message()
    {
        byte[] model = OnnxModel.ExportToBytes(Trained<double>(), new OnnxExportOptions { OpsetVersion = 16 });
        Action import = () => OnnxModel.Import<double>(model);

        import.Should().Throw<NotSupportedException>().WithMessage("ONNX node 'layer_normalization4/ReduceMean' (op type 'ReduceMean') is not supported: *formula*opset 17 or later*LayerNormalization*");
    }

    /// <summary>A network whose running statistics and γ, β training has moved away from their starting values.</summary>
    private static Network<T> Trained<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Network.Sequential<T>(6)
            .Dense(8, Activation.Relu)
            .BatchNormalization()
            .Dropout(0.25)
            .Dense(5, Activation.Tanh)
            .LayerNormalization()
            .Dense(3)
            .Build(Loss.MeanSquaredError, seed: 3);
        Matrix<T> x = Inputs<T>();
        Matrix<T> y = Architectures.Inputs<T>(40, 3, seed: 13);
        network.Fit(x, y, new TrainingOptions { Epochs = 5, GradientDescent = new MiniBatchGradientDescent(10), Seed = 2 });
        return network;
    }

    private static Matrix<T> Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Architectures.Inputs<T>(40, 6, seed: 12);

    private static double CompareWithRuntime<T>(Network<T> network, int opset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var norm = (BatchNormalization<T>)network.Layers[1];
        norm.RunningVariance.Should().NotEqual(Enumerable.Repeat(T.One, 8), "the running statistics were trained");
        byte[] model = OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset });
        using var session = new InferenceSession(model);
        Matrix<T> inputs = Inputs<T>();
        Matrix<T> expected = network.Predict(inputs);
        Matrix<T> served = OnnxRuntimeRunner.Run(session, inputs);
        double scale = Math.Max(1, expected.Enumerate().Max(v => Math.Abs(double.CreateChecked(v))));
        return OnnxRuntimeRunner.MaxAbsoluteDifference(served, expected) / scale;
    }
}
