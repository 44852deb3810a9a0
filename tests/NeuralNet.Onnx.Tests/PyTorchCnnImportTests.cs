using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Convolutional networks exported by PyTorch's torch.onnx.export (Fixtures/make_cnn_fixtures.py) import as NeuralNet's
/// image layers and reproduce PyTorch's outputs.
/// </summary>
public class PyTorchCnnImportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly OnnxImportOptions Logits = new() { Loss = Loss.SoftmaxCrossEntropy };

    /// <summary>
    /// The largest |actual − expected| / max(1, |expected|): the trained CNN's logits reach about 24, where float32
    /// keeps about 2e-6 of absolute precision, so an absolute 1e-5 would leave little room for another CPU's kernel.
    /// </summary>
    private static double MaxScaledDifference<T>(Matrix<T> actual, Matrix<T> expected)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double worst = 0;
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                double e = double.CreateChecked(expected[i, j]);
                worst = Math.Max(worst, Math.Abs(double.CreateChecked(actual[i, j]) - e) / Math.Max(1, Math.Abs(e)));
            }
        }

        return worst;
    }

    [Theory]
    [InlineData("mnist_cnn")]
    [InlineData("cnn_padding_avgpool")]
    [InlineData("cnn_global_pool")]
    public void The_fixtures_reproduce_the_PyTorch_outputs_within_1e5_of_their_scale(string name)
    {
        Fixture fixture = Fixture.Load(name);
        fixture.Dtype.Should().Be("float32");
        Network<float> network = OnnxModel.Import<float>(fixture.Path, Logits);

        // Every fixture ends in logits, which Infer returns (Predict applies the loss's softmax).
        Matrix<float> logits = network.Infer(Fixture.ToMatrix<float>(fixture.Input));
        double difference = MaxScaledDifference(logits, Fixture.ToMatrix<float>(fixture.Output));
        output.WriteLine($"max |NeuralNet − PyTorch| / max(1, |PyTorch|) = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(PyTorchImportTests.FloatBound);
    }

    [Fact]
    public void The_trained_MNIST_CNN_imports_layer_by_layer_taking_rows_of_784_pixels()
    {
        Network<float> network = OnnxModel.Import<float>(Fixture.Load("mnist_cnn").Path, Logits);

        network.InputSize.Should().Be(784, "the [N, 1, 28, 28] input becomes rows of C·H·W values");
        network.Layers.Select(l => l.GetType().Name).Should().Equal("Conv2D`1", "MaxPool2D`1", "Conv2D`1", "MaxPool2D`1", "Flatten`1", "Dense`1");
        var first = (Conv2D<float>)network.Layers[0];
        (first.InputShape, first.OutputShape, first.Kernel, first.Stride, first.Padding).Should().Be((new ImageShape(1, 28, 28), new ImageShape(8, 24, 24), 5, 1, Padding.Valid));
        first.Activation.Should().BeSameAs(Activation.Relu);
        first.UseBias.Should().BeTrue();
        var pool = (MaxPool2D<float>)network.Layers[3];
        (pool.InputShape, pool.OutputShape, pool.Size, pool.Stride, pool.DropEdges).Should().Be((new ImageShape(16, 8, 8), new ImageShape(16, 4, 4), 2, 2, false));
        network.Layers[5].InputSize.Should().Be(256);
    }

    [Fact]
    public void The_trained_MNIST_CNN_classifies_the_test_images_as_PyTorch_does_with_its_accuracy()
    {
        Fixture fixture = Fixture.Load("mnist_cnn");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(fixture.Path, ".json")));
        int[] labels = [.. json.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32())];
        double torchAccuracy = json.RootElement.GetProperty("accuracy").GetDouble();
        Network<float> network = OnnxModel.Import<float>(fixture.Path, Logits);

        int[] predicted = network.PredictClasses(Fixture.ToMatrix<float>(fixture.Input));
        int[] torchClasses = [.. fixture.Output.Select(row => Array.IndexOf(row, row.Max()))];
        predicted.Should().Equal(torchClasses);
        double accuracy = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
        output.WriteLine($"accuracy on the {labels.Length} test images: NeuralNet {accuracy}, PyTorch {torchAccuracy}");
        accuracy.Should().Be(torchAccuracy);
        accuracy.Should().BeGreaterThan(0.5, "the fixture is a trained network, far above chance (0.1)");
    }

    [Fact]
    public void The_float_fixture_imports_as_double_within_1e5_of_its_scale()
    {
        Fixture fixture = Fixture.Load("mnist_cnn");
        Network<double> network = OnnxModel.Import<double>(fixture.Path, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });

        double difference = MaxScaledDifference(network.Infer(Fixture.ToMatrix<double>(fixture.Input)), Fixture.ToMatrix<double>(fixture.Output));
        output.WriteLine($"max |NeuralNet (double) − PyTorch| / max(1, |PyTorch|) = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(PyTorchImportTests.FloatBound);
    }

    [Fact]
    public void The_imported_CNN_trains_further_and_saves_and_loads_unchanged()
    {
        Fixture fixture = Fixture.Load("mnist_cnn");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(fixture.Path, ".json")));
        int[] labels = [.. json.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32())];
        Matrix<float> inputs = Fixture.ToMatrix<float>(fixture.Input);
        Network<float> network = OnnxModel.Import<float>(fixture.Path, Logits);
        float before = network.Loss.Compute(network.Infer(inputs), OneHot(labels));

        network.Fit(inputs, labels, new TrainingOptions { Epochs = 5, LearningRate = 0.02, GradientDescent = new MiniBatchGradientDescent(16) });
        float after = network.Loss.Compute(network.Infer(inputs), OneHot(labels));
        output.WriteLine($"cross-entropy on the 64 images: {before} before, {after} after 5 epochs on them");
        after.Should().BeLessThan(before);

        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        Network<float> loaded = Network.Load<float>(stream);
        loaded.Predict(inputs).Should().BeEquivalentTo(network.Predict(inputs), "a saved imported CNN loads bit for bit");
    }

    [Fact]
    public void Padding_stride_average_pooling_and_Reshape_import_as_their_layers()
    {
        Network<float> network = OnnxModel.Import<float>(Fixture.Load("cnn_padding_avgpool").Path, Logits);

        network.Layers.Select(l => l.GetType().Name).Should().Equal("Conv2D`1", "AveragePool2D`1", "Conv2D`1", "Flatten`1", "Dense`1");
        var first = (Conv2D<float>)network.Layers[0];
        (first.Padding.Name, first.Padding.Rows, first.Padding.Columns).Should().Be(("explicit", 1, 1));
        var second = (Conv2D<float>)network.Layers[2];
        (second.Stride, second.Padding.Name, second.Padding.Rows, second.Padding.Columns, second.OutputShape).Should().Be((2, "explicit", 2, 2, new ImageShape(6, 3, 3)));
        second.Activation.Should().BeSameAs(Activation.Tanh);
    }

    [Fact]
    public void A_convolution_without_bias_and_global_average_pooling_import_as_their_layers()
    {
        Network<float> network = OnnxModel.Import<float>(Fixture.Load("cnn_global_pool").Path, Logits);

        network.Layers.Select(l => l.GetType().Name).Should().Equal("Conv2D`1", "MaxPool2D`1", "Conv2D`1", "GlobalAveragePool`1", "Dense`1");
        ((Conv2D<float>)network.Layers[0]).UseBias.Should().BeFalse();
        ((Conv2D<float>)network.Layers[0]).Stride.Should().Be(2);
        ((MaxPool2D<float>)network.Layers[1]).Stride.Should().Be(1);
        network.Layers[2].Activation.Should().BeSameAs(Activation.Sigmoid);
    }

    private static Matrix<float> OneHot(int[] labels) => Matrix<float>.Build.Dense(labels.Length, 10, (i, j) => labels[i] == j ? 1f : 0f);
}
