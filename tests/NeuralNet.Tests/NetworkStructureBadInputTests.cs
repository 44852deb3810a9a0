using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests;

/// <summary>
/// Networks that cannot be assembled: bad sizes, layers that do not fit together, and losses that clash with
/// the last activation. These must fail when the network is built, not on the first training step.
/// </summary>
public class NetworkStructureBadInputTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Sequential_rejects_an_input_count_that_is_not_positive(int inputs)
    {
        Action act = () => Network.Sequential<double>(inputs);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*inputs must be positive, but got {inputs}.*");
    }

    [Fact]
    public void Softmax_cross_entropy_on_a_single_output_is_refused_pointing_to_the_sigmoid_loss()
    {
        // Softmax over one output is always 1: the loss and its gradient would be 0 and training would do nothing.
        Action built = () => Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(1).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        Action constructed = () => _ = new Network<float>([new Dense<float>(3, 1)], Loss.SoftmaxCrossEntropy, seed: 1);

        built.Should().Throw<ArgumentException>().WithMessage("*softmax_cross_entropy needs one output per class, at least two, but the network has 1*Loss.SigmoidBinaryCrossEntropy*");
        constructed.Should().Throw<ArgumentException>().WithMessage("*at least two*");
        FluentActions.Invoking(() => Network.Sequential<double>(3).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 1)).Should().NotThrow();
        FluentActions.Invoking(() => Network.Sequential<double>(3).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 1)).Should().NotThrow();
    }

    [Fact]
    public void The_distinct_layer_check_compares_no_pair_of_layers_so_it_stays_linear_in_the_layer_count()
    {
        // A check by Array.IndexOf per layer compared each layer with all before it: 40,000 layers took seconds.
        Layer<double>[] layers = [.. Enumerable.Range(0, 4000).Select(_ => new CountingLayer())];

        _ = new Network<double>(layers, Loss.MeanSquaredError, seed: 1);

        CountingLayer.Comparisons.Should().Be(0, "distinctness is a question of identity, answered by a hash set");
        Action twice = () => _ = new Network<double>([layers[0], new CountingLayer(), layers[0]], Loss.MeanSquaredError, seed: 1);
        twice.Should().Throw<ArgumentException>().WithMessage("*distinct layers*positions 0 and 2*");
    }

    [Fact]
    public void Sequential_of_float_rejects_a_zero_input_count()
    {
        Action act = () => Network.Sequential(0);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*inputs must be positive, but got 0.*");
    }

    // The message names the layer's "outputs" while the builder's parameter is "units" (reported); only the
    // parts a caller needs (must be positive, the value) are pinned here.
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Builder_Dense_rejects_a_unit_count_that_is_not_positive(int units)
    {
        NetworkBuilder<double> builder = Network.Sequential<double>(4).Dense(3);

        Action act = () => builder.Dense(units);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"*must be positive, but got {units}.*");
    }

    [Fact]
    public void Layers_whose_sizes_do_not_chain_are_rejected_naming_both_layers_and_sizes()
    {
        Layer<double>[] layers = [new Dense<double>(4, 3), new Dense<double>(5, 2)];

        Action act = () => _ = new Network<double>(layers, Loss.MeanSquaredError, seed: 0);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*Layer 1 Dense(5→2, identity) expects 5 inputs but layer 0 Dense(4→3, identity) produces 3*")
            .And.ParamName.Should().Be("layers");
    }

    [Fact]
    public void A_network_without_layers_is_rejected()
    {
        Action act = () => _ = new Network<double>([], Loss.MeanSquaredError, seed: 0);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one layer, but got none*");
    }

    [Fact]
    public void A_builder_without_layers_is_rejected()
    {
        Action act = () => Network.Sequential<double>(4).Build(Loss.MeanSquaredError);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one layer, but got none*");
    }

    // A square layer chains with itself, so only the explicit identity check can catch it; sharing would make
    // two positions update one set of weights and overwrite each other's cached activations.
    [Fact]
    public void The_same_layer_instance_twice_is_rejected()
    {
        var shared = new Dense<double>(3, 3);

        Action act = () => _ = new Network<double>([shared, shared], Loss.MeanSquaredError, seed: 0);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*distinct layers*Dense(3→3, identity) appears at positions 0 and 1*");
    }

    [Fact]
    public void SoftmaxCrossEntropy_after_a_softmax_output_is_rejected()
    {
        NetworkBuilder<double> builder = Network.Sequential<double>(4).Dense(5, Activation.Relu).Dense(3, Activation.Softmax);

        Action act = () => builder.Build(Loss.SoftmaxCrossEntropy);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*softmax_cross_entropy*last layer must use the identity activation*Dense(5→3, softmax) uses softmax*")
            .And.ParamName.Should().Be("loss");
    }

    [Fact]
    public void SigmoidBinaryCrossEntropy_after_a_sigmoid_output_is_rejected()
    {
        NetworkBuilder<double> builder = Network.Sequential<double>(4).Dense(1, Activation.Sigmoid);

        Action act = () => builder.Build(Loss.SigmoidBinaryCrossEntropy);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*sigmoid_binary_cross_entropy*identity activation*Dense(4→1, sigmoid) uses sigmoid*");
    }

    /// <summary>A 1 → 1 pass-through layer that counts how often any layer is compared for equality.</summary>
    private sealed class CountingLayer : Layer<double>
    {
        public static int Comparisons { get; private set; }

        public override string Name => "test.counting";

        public override int InputSize => 1;

        public override int OutputSize => 1;

        public override bool Equals(object? obj)
        {
            Comparisons++;
            return ReferenceEquals(this, obj);
        }

        public override int GetHashCode() => base.GetHashCode();

        protected internal override void InferCore(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);

        protected internal override Matrix<double> ForwardCore(Matrix<double> input, TrainingContext context) => input;

        protected internal override Matrix<double>? BackwardCore(Matrix<double> outputGradient, bool computeInputGradient) => outputGradient;
    }
}
