using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>The builder takes layers of any type through Add, sized from the layer before, and refuses one that does not fit.</summary>
public class NetworkBuilderTests
{
    public NetworkBuilderTests() => TestComponents.Register();

    [Fact]
    public void Add_sizes_a_layer_from_the_one_before_and_builds_a_new_one_for_every_network()
    {
        NetworkBuilder<float> builder = Network.Sequential(3).Dense(5, Activation.Tanh).Add(inputs => new TestComponents.Scale<float>(inputs));

        builder.CurrentSize.Should().Be(5);
        Network<float> first = builder.Dense(2).Build(Loss.MeanSquaredError, seed: 1);
        Network<float> second = builder.Build(Loss.MeanSquaredError, seed: 1);

        first.Layers[1].Should().BeOfType<TestComponents.Scale<float>>().Which.InputSize.Should().Be(5);
        second.Layers[1].Should().NotBeSameAs(first.Layers[1]);
    }

    [Fact]
    public void Add_refuses_a_null_factory_a_null_layer_and_a_layer_of_another_input_size()
    {
        NetworkBuilder<double> builder = Network.Sequential<double>(4);

        FluentActions.Invoking(() => builder.Add(null!)).Should().Throw<ArgumentNullException>().WithParameterName("create");
        FluentActions.Invoking(() => builder.Add(_ => null!)).Should().Throw<ArgumentException>().WithMessage("*factory returned null*");
        FluentActions.Invoking(() => builder.Add(_ => new Dense<double>(3, 2))).Should().Throw<ArgumentException>().WithMessage("*after 4 outputs must take 4 inputs, but Dense(3→2, identity) takes 3*");
        builder.CurrentSize.Should().Be(4, "a refused layer is not added");
    }
}
