using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Export refuses, before it writes anything, a network whose model the same package's import would refuse: weights
/// that are not finite, more layers than import reads, a slope float rounds out of range, names UTF-8 cannot hold.
/// </summary>
public class ExportRefusalTests
{
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void A_non_finite_weight_is_refused_naming_the_layer_and_the_first_position(float value, string shown)
    {
        Network<float> network = Architectures.Build<float>("relu-softmax-classifier");
        var dense = (Dense<float>)network.Layers[1];

        // Two bad values: (3, 4) comes first row by row, (5, 1) first in the column-major storage.
        dense.Weights.Value[5, 1] = value;
        dense.Weights.Value[3, 4] = value;

        FluentActions.Invoking(() => OnnxModel.ExportToBytes(network))
            .Should().Throw<ArgumentException>()
            .WithMessage($"Layer 1, {dense}, holds {shown} in its weights (16×5) at row 3, column 4; ONNX import refuses weights that are not finite, so export does not write them.*")
            .Which.ParamName.Should().Be("network");
    }

    [Fact]
    public void A_non_finite_bias_of_a_double_network_is_refused()
    {
        Network<double> network = Architectures.Build<double>("leaky-regression");
        ((Dense<double>)network.Layers[0]).Biases.Value[0, 2] = double.NaN;

        FluentActions.Invoking(() => OnnxModel.ExportToBytes(network))
            .Should().Throw<ArgumentException>().WithMessage($"Layer 0, {network.Layers[0]}, holds NaN in its biases (1×9) at row 0, column 2;*");
    }

    [Fact]
    public void A_refused_export_writes_nothing_to_the_stream_and_leaves_no_file()
    {
        Network<float> network = Architectures.Build<float>("relu-softmax-classifier");
        ((Dense<float>)network.Layers[0]).Weights.Value[0, 0] = float.NaN;
        using var stream = new MemoryStream();
        FluentActions.Invoking(() => OnnxModel.Export(network, stream)).Should().Throw<ArgumentException>();
        stream.Length.Should().Be(0);

        string directory = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string fresh = Path.Combine(directory, "fresh.onnx");
            string previous = Path.Combine(directory, "previous.onnx");
            File.WriteAllText(previous, "previous");

            FluentActions.Invoking(() => OnnxModel.Export(network, fresh)).Should().Throw<ArgumentException>();
            FluentActions.Invoking(() => OnnxModel.Export(network, previous)).Should().Throw<ArgumentException>();

            Directory.GetFiles(directory).Should().Equal(previous);
            File.ReadAllText(previous).Should().Be("previous");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_network_of_more_layers_than_import_reads_is_refused()
    {
        FluentActions.Invoking(() => OnnxModel.ExportToBytes(Architectures.Deep(OnnxModel.MaximumLayers + 1)))
            .Should().Throw<ArgumentException>()
            .WithMessage("The network has 1,025 layers; ONNX export writes at most 1,024 (OnnxModel.MaximumLayers), as many as import reads.*")
            .Which.ParamName.Should().Be("network");

        byte[] model = OnnxModel.ExportToBytes(Architectures.Deep(OnnxModel.MaximumLayers));
        OnnxModel.Import<float>(model).Layers.Should().HaveCount(OnnxModel.MaximumLayers);
    }

    [Fact]
    public void A_float_leaky_slope_that_rounds_to_1_is_refused_and_the_largest_below_exports()
    {
        // 0.99999999 is below 1 as a double but rounds to 1 as a float: the float network computes with 1, and
        // LeakyRelu's float alpha would hold 1, outside the [0, 1) where import reads a leaky ReLU.
        Network<float> rounded = Network.Sequential<float>(2).Dense(3, Activation.LeakyRelu(0.99999999)).Dense(1).Build(Loss.MeanSquaredError, seed: 1);
        FluentActions.Invoking(() => OnnxModel.ExportToBytes(rounded))
            .Should().Throw<ArgumentException>()
            .WithMessage($"Layer 0, {rounded.Layers[0]}, has a leaky ReLU slope of 0.99999999, which is 1 as a float (LeakyRelu's alpha)*")
            .Which.ParamName.Should().Be("network");

        Network<float> below = Network.Sequential<float>(2).Dense(3, Activation.LeakyRelu(0.99999994)).Dense(1).Build(Loss.MeanSquaredError, seed: 1);
        OnnxModel.Import<float>(OnnxModel.ExportToBytes(below)).Layers[0].Should().BeOfType<Dense<float>>()
            .Which.Activation.GetConfig().GetDouble("slope").Should().Be(0.99999994);

        // A double network writes the slope as a double: nothing rounds.
        Network<double> exact = Network.Sequential<double>(2).Dense(3, Activation.LeakyRelu(0.99999999)).Dense(1).Build(Loss.MeanSquaredError, seed: 1);
        OnnxModel.Import<double>(OnnxModel.ExportToBytes(exact)).Layers[0].Should().BeOfType<Dense<double>>()
            .Which.Activation.GetConfig().GetDouble("slope").Should().Be(0.99999999);
    }

    [Theory]
    [InlineData("InputName")]
    [InlineData("OutputName")]
    [InlineData("BatchDimensionName")]
    public void A_name_with_a_lone_surrogate_is_refused(string property)
    {
        // UTF-8 cannot hold a lone surrogate: the writer would replace it with U+FFFD, so two names differing only
        // there would become one, which import refuses as a name defined twice. (The names are made here: xunit
        // passes theory data through UTF-8 too.)
        string lone = "na\uD800me";
        var options = property switch
        {
            "InputName" => new OnnxExportOptions { InputName = lone },
            "OutputName" => new OnnxExportOptions { OutputName = lone },
            _ => new OnnxExportOptions { BatchDimensionName = lone },
        };

        FluentActions.Invoking(() => OnnxModel.ExportToBytes(Architectures.Build<float>("relu-softmax-classifier"), options))
            .Should().Throw<ArgumentException>()
            .WithMessage($"{property} must be well-formed Unicode, but it holds a lone surrogate at index 2; ONNX writes names as UTF-8.*")
            .Which.ParamName.Should().Be("options");
    }
}
