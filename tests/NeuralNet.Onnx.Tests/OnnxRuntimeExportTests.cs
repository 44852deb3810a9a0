using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>Every exported architecture, run in ONNX Runtime, gives NeuralNet's own predictions.</summary>
public class OnnxRuntimeExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The largest |ONNX Runtime − Predict| allowed in float32; the README states it beside the largest measured.</summary>
    internal const double FloatBound = 1e-5;

    /// <summary>The largest |ONNX Runtime − Predict| allowed in float64; the README states it beside the largest measured.</summary>
    internal const double DoubleBound = 1e-12;

    public static TheoryData<string, OnnxDenseEncoding, int> Cases()
    {
        var cases = new TheoryData<string, OnnxDenseEncoding, int>();
        foreach (string name in Architectures.Names)
        {
            foreach (OnnxDenseEncoding encoding in Enum.GetValues<OnnxDenseEncoding>())
            {
                foreach (int opset in new[] { OnnxExportOptions.MinimumOpsetVersion, 17, OnnxExportOptions.MaximumOpsetVersion })
                {
                    cases.Add(name, encoding, opset);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_exports_match_predictions_within_1e5(string architecture, OnnxDenseEncoding encoding, int opset)
    {
        Network<float> network = Architectures.Build<float>(architecture);
        double difference = Compare(network, new OnnxExportOptions { DenseEncoding = encoding, OpsetVersion = opset }, OnnxOutput.Predictions);
        output.WriteLine($"max |ONNX Runtime − Predict| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(FloatBound);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_exports_match_predictions_within_1e12(string architecture, OnnxDenseEncoding encoding, int opset)
    {
        Network<double> network = Architectures.Build<double>(architecture);
        double difference = Compare(network, new OnnxExportOptions { DenseEncoding = encoding, OpsetVersion = opset }, OnnxOutput.Predictions);
        output.WriteLine($"max |ONNX Runtime − Predict| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(DoubleBound);
    }

    [Theory]
    [InlineData("relu-softmax-classifier")]
    [InlineData("tanh-sigmoid-binary")]
    [InlineData("deep-mixed")]
    public void Logits_exports_match_Infer(string architecture)
    {
        Network<float> network = Architectures.Build<float>(architecture);
        double difference = Compare(network, new OnnxExportOptions { Output = OnnxOutput.Logits }, OnnxOutput.Logits);
        difference.Should().BeLessThanOrEqualTo(1e-5);
    }

    [Fact]
    public void The_batch_dimension_is_dynamic_and_the_names_and_types_are_as_asked()
    {
        Network<float> network = Architectures.Build<float>("relu-softmax-classifier");
        var options = new OnnxExportOptions { InputName = "pixels", OutputName = "probabilities", BatchDimensionName = "n" };
        using var session = new InferenceSession(OnnxModel.ExportToBytes(network, options));

        NodeMetadata input = session.InputMetadata.Should().ContainSingle().Which.Value;
        session.InputMetadata.Keys.Should().Equal("pixels");
        input.ElementType.Should().Be<float>();
        input.Dimensions.Should().Equal(-1, 12);
        input.SymbolicDimensions[0].Should().Be("n");
        NodeMetadata output = session.OutputMetadata["probabilities"];
        output.Dimensions.Should().Equal(-1, 5);

        // One session serves any batch size, one row included.
        foreach (int rows in new[] { 1, 3, 64 })
        {
            Matrix<float> inputs = Architectures.Inputs<float>(rows, 12, rows);
            Matrix<float> served = OnnxRuntimeRunner.Run(session, inputs, "pixels", "probabilities");
            OnnxRuntimeRunner.MaxAbsoluteDifference(served, network.Predict(inputs)).Should().BeLessThanOrEqualTo(1e-5);
        }
    }

    [Fact]
    public void A_double_network_exports_double_tensors()
    {
        using var session = new InferenceSession(OnnxModel.ExportToBytes(Architectures.Build<double>("leaky-regression")));
        session.InputMetadata["input"].ElementType.Should().Be<double>();
        session.OutputMetadata["output"].ElementType.Should().Be<double>();
    }

    [Fact]
    public void A_trained_classifier_serves_the_same_classes()
    {
        // XOR, trained: the exported model must agree on every class, not only on random weights.
        Matrix<float> inputs = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        int[] labels = [0, 1, 1, 0];
        Network<float> network = Network.Sequential(2).Dense(8, NeuralNet.Activations.Activation.Tanh).Dense(2).Build(NeuralNet.Losses.Loss.SoftmaxCrossEntropy, seed: 1);
        network.Fit(inputs, labels, new NeuralNet.Training.TrainingOptions { Epochs = 2000, LearningRate = 0.5, GradientDescent = new NeuralNet.Training.BatchGradientDescent() });
        network.PredictClasses(inputs).Should().Equal(labels);

        using var session = new InferenceSession(OnnxModel.ExportToBytes(network));
        Matrix<float> served = OnnxRuntimeRunner.Run(session, inputs);
        Enumerable.Range(0, 4).Select(i => served.Row(i).MaximumIndex()).Should().Equal(labels);
    }

    private static double Compare<T>(Network<T> network, OnnxExportOptions options, OnnxOutput outputKind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] model = OnnxModel.ExportToBytes(network, options);
        using var session = new InferenceSession(model);
        Matrix<T> inputs = Architectures.Inputs<T>(33, network.InputSize, seed: 11);
        Matrix<T> expected = outputKind == OnnxOutput.Predictions ? network.Predict(inputs) : network.Infer(inputs);
        return OnnxRuntimeRunner.MaxAbsoluteDifference(OnnxRuntimeRunner.Run(session, inputs), expected);
    }
}
