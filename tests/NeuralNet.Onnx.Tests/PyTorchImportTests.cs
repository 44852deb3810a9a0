using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>Models exported by PyTorch's torch.onnx.export import into networks that reproduce PyTorch's outputs.</summary>
public class PyTorchImportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The largest |NeuralNet − PyTorch| allowed on a float32 fixture; the README states it beside the largest measured.</summary>
    internal const double FloatBound = 1e-5;

    /// <summary>The largest |NeuralNet − PyTorch| allowed on the float64 fixture; the README states it beside the largest measured.</summary>
    internal const double DoubleBound = 1e-12;

    [Theory]
    [InlineData("relu_softmax")]
    [InlineData("tanh_sigmoid_linear")]
    [InlineData("flatten_leaky_sigmoid")]
    [InlineData("matmul_add")]
    public void Float_fixtures_reproduce_the_PyTorch_outputs_within_1e5(string name)
    {
        Fixture fixture = Fixture.Load(name);
        fixture.Dtype.Should().Be("float32");
        Network<float> network = OnnxModel.Import<float>(fixture.Path);

        Matrix<float> predicted = network.Predict(Fixture.ToMatrix<float>(fixture.Input));
        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(predicted, Fixture.ToMatrix<float>(fixture.Output));
        output.WriteLine($"max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(FloatBound);
    }

    [Fact]
    public void The_float64_fixture_imports_as_double_and_reproduces_PyTorch_within_1e12()
    {
        Fixture fixture = Fixture.Load("relu_double");
        fixture.Dtype.Should().Be("float64");
        Network<double> network = OnnxModel.Import<double>(fixture.Path);

        Matrix<double> predicted = network.Predict(Fixture.ToMatrix<double>(fixture.Input));
        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(predicted, Fixture.ToMatrix<double>(fixture.Output));
        output.WriteLine($"max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(DoubleBound);
    }

    [Fact]
    public void An_image_classifier_with_Flatten_imports_with_one_row_per_flattened_image()
    {
        // nn.Flatten over 1 × 4 × 4 images, ending in logits as a network trained with nn.CrossEntropyLoss does.
        Fixture fixture = Fixture.Load("image_flatten_logits");
        Network<float> network = OnnxModel.Import<float>(fixture.Path, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });

        network.InputSize.Should().Be(16);
        Matrix<float> logits = network.Infer(Fixture.ToMatrix<float>(fixture.Input));
        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(logits, Fixture.ToMatrix<float>(fixture.Output));
        output.WriteLine($"max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(FloatBound);
    }

    [Fact]
    public void The_structure_is_read_layer_by_layer()
    {
        Network<float> network = OnnxModel.Import<float>(Fixture.Load("flatten_leaky_sigmoid").Path);

        Dense<float>[] layers = [.. network.Layers.Cast<Dense<float>>()];
        layers.Select(l => (l.InputSize, l.OutputSize)).Should().Equal((6, 10), (10, 10), (10, 1));
        layers[0].Activation.Should().BeOfType<LeakyRelu>().Which.Slope.Should().Be(0.2, "PyTorch writes alpha as the float 0.2f, the float nearest 0.2");
        layers[1].Activation.Should().BeSameAs(Activation.Relu);

        // The final Sigmoid moves into the fused loss, so Predict still applies it and training is numerically sound.
        layers[2].Activation.Should().BeSameAs(Activation.Identity);
        network.Loss.Should().BeSameAs(Loss.SigmoidBinaryCrossEntropy);
    }

    [Theory]
    [InlineData("relu_softmax", typeof(SoftmaxCrossEntropy))]
    [InlineData("matmul_add", typeof(SoftmaxCrossEntropy))]
    [InlineData("flatten_leaky_sigmoid", typeof(SigmoidBinaryCrossEntropy))]
    [InlineData("tanh_sigmoid_linear", typeof(MeanSquaredError))]
    public void The_loss_follows_the_last_node(string name, Type loss)
    {
        OnnxModel.Import<float>(Fixture.Load(name).Path).Loss.Should().BeOfType(loss);
    }

    [Fact]
    public void A_loss_given_for_a_graph_ending_in_logits_keeps_the_logits_as_Infer()
    {
        // A PyTorch classifier trained with nn.CrossEntropyLoss ends with a Linear: its ONNX outputs are logits.
        Fixture fixture = Fixture.Load("tanh_sigmoid_linear");
        Network<float> network = OnnxModel.Import<float>(fixture.Path, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });

        Matrix<float> inputs = Fixture.ToMatrix<float>(fixture.Input);
        OnnxRuntimeRunner.MaxAbsoluteDifference(network.Infer(inputs), Fixture.ToMatrix<float>(fixture.Output)).Should().BeLessThanOrEqualTo(FloatBound);
        network.Predict(inputs).RowSums().Enumerate().Should().AllSatisfy(sum => sum.Should().BeApproximately(1f, 1e-5f));
    }

    [Fact]
    public void A_fused_loss_that_cannot_follow_the_last_activation_is_refused()
    {
        Action import = () => OnnxModel.Import<float>(Fixture.Load("relu_softmax").Path, new OnnxImportOptions { Loss = Loss.SigmoidBinaryCrossEntropy });
        import.Should().Throw<NotSupportedException>().WithMessage("*ends with softmax*sigmoid_binary_cross_entropy*");
    }

    [Fact]
    public void An_unsupported_node_is_named_in_the_exception()
    {
        Action import = () => OnnxModel.Import<float>(Fixture.Load("unsupported_softsign").Path);
        // PyTorch 1.13 writes Softsign as x / (1 + |x|): its first node, Abs, is the one refused.
        import.Should().Throw<NotSupportedException>().WithMessage("ONNX node '/1/Abs' (op type 'Abs') is not supported*");
    }

    [Fact]
    public void An_imported_classifier_trains_further()
    {
        Fixture fixture = Fixture.Load("relu_softmax");
        Network<float> network = OnnxModel.Import<float>(fixture.Path);

        // Labels the imported network mostly gets wrong: its own predictions shifted by one class.
        Matrix<float> inputs = Architectures.Inputs<float>(64, 4, seed: 5);
        int[] labels = [.. network.PredictClasses(inputs).Select(c => (c + 1) % 3)];
        double before = network.Accuracy(inputs, labels);

        TrainingHistory history = network.Fit(inputs, labels, new TrainingOptions { Epochs = 200, LearningRate = 0.1, Seed = 3 });

        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss);
        network.Accuracy(inputs, labels).Should().BeGreaterThan(before + 0.5);
    }
}
