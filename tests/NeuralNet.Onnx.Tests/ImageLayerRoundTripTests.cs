using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>A convolutional network exported to ONNX imports back as the same layers computing the same predictions.</summary>
public class ImageLayerRoundTripTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string> Names() => [.. ImageArchitectures.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_networks_come_back_as_the_same_layers_within_1e6(string architecture)
    {
        double difference = RoundTrip<float>(architecture);
        output.WriteLine($"max |imported − original| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(1e-6);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Double_networks_come_back_as_the_same_layers_within_1e12(string architecture)
    {
        double difference = RoundTrip<double>(architecture);
        output.WriteLine($"max |imported − original| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(1e-12);
    }

    [Fact]
    public void Each_layer_keeps_its_geometry_and_parameters()
    {
        Network<float> network = ImageArchitectures.Build<float>("stride2-same-average");
        Network<float> imported = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network));

        var original = (Conv2D<float>)network.Layers[0];
        var back = (Conv2D<float>)imported.Layers[0];
        (back.InputShape, back.OutputShape, back.Kernel, back.Stride, back.Padding.Name, back.PaddingBefore).Should().Be(
            (original.InputShape, original.OutputShape, original.Kernel, original.Stride, "same", original.PaddingBefore));
        back.Weights.Value.Should().BeEquivalentTo(original.Weights.Value);
        back.Biases!.Value.Should().BeEquivalentTo(original.Biases!.Value);
        var pool = (AveragePool2D<float>)imported.Layers[1];
        (pool.Size, pool.Stride, pool.OutputShape).Should().Be((2, 1, new ImageShape(5, 4, 4)));
    }

    [Fact]
    public void A_network_that_normalises_its_pixels_first_serves_raw_pixels_and_imports_back()
    {
        var random = new Random(4);
        Matrix<float> raw = Matrix<float>.Build.Dense(40, 2 * 6 * 6, (_, _) => (float)(random.NextDouble() * 255));
        Network<float> network = Network.Sequential(2, 6, 6).Normalize(new NeuralNet.Data.StandardScaler<float>().Fit(raw))
            .Conv2D(3, kernel: 3, NeuralNet.Activations.Activation.Relu).MaxPool2D(2).Flatten().Dense(2).Build(NeuralNet.Losses.Loss.SoftmaxCrossEntropy, seed: 3);
        byte[] model = OnnxModel.ExportToBytes(network);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model);
        OnnxRuntimeRunner.MaxAbsoluteDifference(OnnxRuntimeRunner.Run(session, raw), network.Predict(raw)).Should().BeLessThanOrEqualTo(OnnxRuntimeExportTests.FloatBound);
        Network<float> imported = OnnxModel.Import<float>(model);
        imported.Layers.Select(l => l.GetType()).Should().Equal(network.Layers.Select(l => l.GetType()));
        OnnxRuntimeRunner.MaxAbsoluteDifference(imported.Predict(raw), network.Predict(raw)).Should().BeLessThanOrEqualTo(1e-6);
    }

    [Fact]
    public void Batch_and_layer_normalisation_after_the_images_come_back_after_the_image_layers()
    {
        Network<float> network = Network.Sequential(2, 8, 8).Conv2D(4, kernel: 3, NeuralNet.Activations.Activation.Relu).MaxPool2D(2, dropEdges: true)
            .Flatten().BatchNormalization().Dense(6, NeuralNet.Activations.Activation.Tanh).LayerNormalization().Dense(3)
            .Build(NeuralNet.Losses.Loss.SoftmaxCrossEntropy, seed: 5);
        Matrix<float> inputs = Architectures.Inputs<float>(9, network.InputSize, seed: 6);

        Network<float> imported = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = 17 }));

        imported.Layers.Select(l => l.GetType()).Should().Equal(network.Layers.Select(l => l.GetType()));
        OnnxRuntimeRunner.MaxAbsoluteDifference(imported.Predict(inputs), network.Predict(inputs)).Should().BeLessThanOrEqualTo(1e-6);
    }

    private static double RoundTrip<T>(string architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = ImageArchitectures.Build<T>(architecture);
        Network<T> imported = OnnxModel.Import<T>(OnnxModel.ExportToBytes(network));

        // Dropout leaves no node in an inference graph, so it does not come back.
        imported.Layers.Select(l => l.GetType()).Should().Equal(network.Layers.Where(l => l is not Dropout<T>).Select(l => l.GetType()));
        imported.Layers.Select(l => l.Activation?.Name).Should().Equal(network.Layers.Where(l => l is not Dropout<T>).Select(l => l.Activation?.Name));
        Matrix<T> inputs = Architectures.Inputs<T>(17, network.InputSize, seed: 5);
        return OnnxRuntimeRunner.MaxAbsoluteDifference(imported.Predict(inputs), network.Predict(inputs));
    }
}
