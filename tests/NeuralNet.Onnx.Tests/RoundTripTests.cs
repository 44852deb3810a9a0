using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Export then import gives back the same network: the same layers, weights and predictions, bit for bit.</summary>
public class RoundTripTests
{
    public static TheoryData<string, OnnxDenseEncoding, OnnxOutput> Cases()
    {
        var cases = new TheoryData<string, OnnxDenseEncoding, OnnxOutput>();
        foreach (string name in Architectures.Names)
        {
            foreach (OnnxDenseEncoding encoding in Enum.GetValues<OnnxDenseEncoding>())
            {
                foreach (OnnxOutput output in Enum.GetValues<OnnxOutput>())
                {
                    cases.Add(name, encoding, output);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_round_trip_is_identical(string architecture, OnnxDenseEncoding encoding, OnnxOutput output) =>
        AssertRoundTrip(Architectures.Build<float>(architecture), new OnnxExportOptions { DenseEncoding = encoding, Output = output });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_round_trip_is_identical(string architecture, OnnxDenseEncoding encoding, OnnxOutput output) =>
        AssertRoundTrip(Architectures.Build<double>(architecture), new OnnxExportOptions { DenseEncoding = encoding, Output = output });

    [Fact]
    public void A_file_and_a_stream_hold_the_same_bytes_and_import_alike()
    {
        Network<float> network = Architectures.Build<float>("deep-mixed");
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModel.Export(network, path);
            using var stream = new MemoryStream();
            OnnxModel.Export(network, stream);

            File.ReadAllBytes(path).Should().Equal(stream.ToArray()).And.Equal(OnnxModel.ExportToBytes(network));
            stream.Position = 0;
            Matrix<float> inputs = Architectures.Inputs<float>(9, network.InputSize, seed: 2);
            OnnxModel.Import<float>(stream).Predict(inputs).Should().Be(OnnxModel.Import<float>(path).Predict(inputs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_is_deterministic()
    {
        OnnxModel.ExportToBytes(Architectures.Build<double>("leaky-regression"))
            .Should().Equal(OnnxModel.ExportToBytes(Architectures.Build<double>("leaky-regression")));
    }

    private static void AssertRoundTrip<T>(Network<T> network, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> imported = OnnxModel.Import<T>(OnnxModel.ExportToBytes(network, options));

        imported.Loss.Should().BeSameAs(network.Loss, "the exporter records the loss, even when the graph ends in logits");
        imported.Layers.Should().HaveSameCount(network.Layers);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var expected = (Dense<T>)network.Layers[l];
            var actual = (Dense<T>)imported.Layers[l];
            actual.Activation.ToString().Should().Be(expected.Activation.ToString());
            actual.Weights.Value.Should().Be(expected.Weights.Value);
            actual.Biases.Value.Should().Be(expected.Biases.Value);
        }

        Matrix<T> inputs = Architectures.Inputs<T>(25, network.InputSize, seed: 4);
        imported.Predict(inputs).Should().Be(network.Predict(inputs));
        imported.Infer(inputs).Should().Be(network.Infer(inputs));
    }
}
