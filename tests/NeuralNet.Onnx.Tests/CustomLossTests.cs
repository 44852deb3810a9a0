using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// A network trained with a loss of the user's own whose predictions apply a function (not fused, unlike the
/// built-in ones) exports and imports back to the same predictions, or export refuses it and says what to do.
/// </summary>
public class CustomLossTests
{
    private readonly Matrix<float> _inputs = Architectures.Inputs<float>(6, 4, seed: 11);

    [Fact]
    public void A_linear_last_layer_comes_back_with_the_losss_function_applied_once()
    {
        Network<float> network = Network.Sequential<float>(4).Dense(5, Activation.Tanh).Dense(3).Build(SigmoidPredictionLoss.Registered(), seed: 3);

        Network<float> back = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network));

        back.Loss.Name.Should().Be(SigmoidPredictionLoss.RegisteredName);
        back.Layers[^1].Activation!.IsIdentity.Should().BeTrue("the graph's final Sigmoid is the loss's, as the exporter recorded");
        back.Predict(_inputs).ToRowMajorArray().Should().Equal(network.Predict(_inputs).ToRowMajorArray());
    }

    [Fact]
    public void With_logits_output_a_last_layer_ending_in_the_same_function_keeps_it()
    {
        // The graph ends with the layer's own Sigmoid; the loss's was left out, so nothing moves into the loss.
        Network<float> network = Network.Sequential<float>(4).Dense(3, Activation.Sigmoid).Build(SigmoidPredictionLoss.Registered(), seed: 3);

        Network<float> back = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { Output = OnnxOutput.Logits }));

        back.Layers[^1].Activation!.Name.Should().Be("sigmoid");
        back.Predict(_inputs).ToRowMajorArray().Should().Equal(network.Predict(_inputs).ToRowMajorArray());
    }

    [Fact]
    public void A_last_layer_with_an_activation_of_its_own_is_refused_unless_exported_as_logits()
    {
        // Predictions would end the graph with two activations in a row (Relu, then the loss's Sigmoid), which import
        // does not read; the logits leave the loss's function out.
        Network<float> network = Network.Sequential<float>(4).Dense(3, Activation.Relu).Build(SigmoidPredictionLoss.Registered(), seed: 3);

        FluentActions.Invoking(() => OnnxModel.ExportToBytes(network))
            .Should().Throw<ArgumentException>()
            .WithMessage($"The network's last layer, {network.Layers[0]}, ends with relu, and its loss {SigmoidPredictionLoss.RegisteredName} applies sigmoid after it:*export with Output = OnnxOutput.Logits*")
            .Which.ParamName.Should().Be("network");

        Network<float> back = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { Output = OnnxOutput.Logits }));
        back.Predict(_inputs).ToRowMajorArray().Should().Equal(network.Predict(_inputs).ToRowMajorArray());
    }

    [Fact]
    public void A_given_loss_takes_over_the_graphs_final_function_when_it_is_its_own()
    {
        // A graph ending in Sigmoid, imported with the user's loss that applies sigmoid itself: Predict still returns
        // what the graph computes, as with the fused losses.
        Network<float> source = Architectures.Build<float>("sigmoid-single-layer");
        byte[] model = OnnxModel.ExportToBytes(source);

        Network<float> back = OnnxModel.Import<float>(model, new OnnxImportOptions { Loss = SigmoidPredictionLoss.Registered() });

        ((Dense<float>)back.Layers[0]).Activation.IsIdentity.Should().BeTrue();
        back.Predict(_inputs).ToRowMajorArray().Should().Equal(source.Predict(_inputs).ToRowMajorArray());
    }
}
