using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Components;

/// <summary>
/// The registry is the one place components are known by name: every built-in is in it and rebuilds from its own
/// configuration, names are taken once, and what is not registered is refused with its name.
/// </summary>
public class ComponentRegistryTests
{
    public static TheoryData<Activation> BuiltInActivations() => [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu(0.3), Activation.Softmax];

    public static TheoryData<Initializer> BuiltInInitializers() => [Initializer.Zeros, Initializer.GlorotUniform, Initializer.GlorotNormal, Initializer.HeUniform, Initializer.HeNormal, Initializer.RandomNormal(0.2)];

    public static TheoryData<UpdateRule> BuiltInRules() => [new Plain(), new Momentum(0.7), new Nesterov(0.6), new RmsProp(0.8, 1e-5), new Adam(0.85, 0.99, 1e-6)];

    [Fact]
    public void Every_built_in_component_is_registered_under_its_name()
    {
        ComponentRegistry.Activations.Names.Should().Contain(["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]);
        ComponentRegistry.Initializers.Names.Should().Contain(["zeros", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "random_normal"]);
        ComponentRegistry.Losses.Names.Should().Contain(["mean_squared_error", "softmax_cross_entropy", "sigmoid_binary_cross_entropy"]);
        ComponentRegistry.UpdateRules.Names.Should().Contain(["plain", "momentum", "nesterov", "rmsprop", "adam"]);
        ComponentRegistry.Layers.Names.Should().Contain("dense");
    }

    [Theory]
    [MemberData(nameof(BuiltInActivations))]
    public void A_built_in_activation_rebuilds_from_its_configuration_and_computes_the_same(Activation activation)
    {
        Activation rebuilt = ComponentRegistry.Activations.Create(activation.Name, activation.GetConfig());

        rebuilt.Name.Should().Be(activation.Name);
        rebuilt.GetConfig().Should().Be(activation.GetConfig());
        Matrix<double> z = Matrix<double>.Build.Dense(3, 4, (i, j) => (i * 1.5) - j);
        rebuilt.Apply(z).Should().Be(activation.Apply(z));
    }

    [Theory]
    [MemberData(nameof(BuiltInInitializers))]
    public void A_built_in_initializer_rebuilds_from_its_configuration_and_draws_the_same(Initializer initializer)
    {
        Initializer rebuilt = ComponentRegistry.Initializers.Create(initializer.Name, initializer.GetConfig());

        rebuilt.GetConfig().Should().Be(initializer.GetConfig());
        var a = new Dense<double>(5, 3, weightInitializer: initializer);
        var b = new Dense<double>(5, 3, weightInitializer: rebuilt);
        _ = new Network<double>([a], Loss.MeanSquaredError, seed: 9);
        _ = new Network<double>([b], Loss.MeanSquaredError, seed: 9);
        b.Weights.Value.Should().Be(a.Weights.Value);
    }

    [Theory]
    [MemberData(nameof(BuiltInRules))]
    public void A_built_in_update_rule_rebuilds_from_its_configuration(UpdateRule rule)
    {
        UpdateRule rebuilt = ComponentRegistry.UpdateRules.Create(rule.Name, rule.GetConfig());

        rebuilt.IsSameRuleAs(rule).Should().BeTrue();
        rebuilt.StateBufferCount.Should().Be(rule.StateBufferCount);
        rebuilt.ToString().Should().Be(rule.ToString());
    }

    [Fact]
    public void Every_built_in_loss_and_the_dense_layer_rebuild_from_their_configurations()
    {
        foreach (Loss loss in new Loss[] { Loss.MeanSquaredError, Loss.SoftmaxCrossEntropy, Loss.SigmoidBinaryCrossEntropy })
        {
            ComponentRegistry.Losses.Create(loss.Name, loss.GetConfig()).Should().BeSameAs(loss);
        }

        var dense = new Dense<float>(4, 3, Activation.LeakyRelu(0.25), Initializer.HeNormal, Initializer.RandomNormal(0.1));
        Layer<float> rebuilt = ComponentRegistry.Layers.Create<float>("dense", dense.GetConfig());

        rebuilt.Should().BeOfType<Dense<float>>();
        rebuilt.ToString().Should().Be(dense.ToString());
        rebuilt.GetConfig().Should().Be(dense.GetConfig());
    }

    [Fact]
    public void A_name_is_taken_once_and_built_in_names_cannot_be_taken()
    {
        string name = $"test.once.{Guid.NewGuid():N}";
        ComponentRegistry.Activations.Register(name, _ => throw new InvalidOperationException("never built"));

        Action again = () => ComponentRegistry.Activations.Register(name, _ => Activation.Relu);
        Action builtIn = () => ComponentRegistry.Activations.Register("relu", _ => Activation.Relu);
        Action layer = () => ComponentRegistry.Layers.Register("dense", _ => new Dense<float>(1, 1), _ => new Dense<double>(1, 1));

        again.Should().Throw<ArgumentException>().WithMessage($"*activation named '{name}' is already registered*");
        builtIn.Should().Throw<ArgumentException>().WithMessage("*'relu' is already registered*");
        layer.Should().Throw<ArgumentException>().WithMessage("*layer named 'dense' is already registered*");
        ComponentRegistry.Activations.IsRegistered(name).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("slash/name")]
    public void A_name_must_be_an_identifier(string name)
    {
        Action register = () => ComponentRegistry.Losses.Register(name, _ => Loss.MeanSquaredError);

        register.Should().Throw<ArgumentException>().WithMessage("*loss name must be 1 to 64 characters*");
    }

    [Fact]
    public void Creating_an_unregistered_name_names_it()
    {
        Action activation = () => ComponentRegistry.Activations.Create("no_such_activation", new ComponentConfig());
        Action layer = () => ComponentRegistry.Layers.Create<double>("no_such_layer", new ComponentConfig());

        activation.Should().Throw<KeyNotFoundException>().WithMessage("*No activation is registered under the name 'no_such_activation'*");
        layer.Should().Throw<KeyNotFoundException>().WithMessage("*No layer is registered under the name 'no_such_layer'*");
    }

    [Fact]
    public void A_factory_must_build_a_component_that_reports_its_registered_name()
    {
        string name = $"test.liar.{Guid.NewGuid():N}";
        ComponentRegistry.Activations.Register(name, _ => Activation.Tanh);

        Action create = () => ComponentRegistry.Activations.Create(name, new ComponentConfig());

        create.Should().Throw<InvalidOperationException>().WithMessage($"*registered for the activation '{name}' built one named 'tanh'*");
    }

    [Fact]
    public void A_factory_rejecting_its_configuration_is_reported_as_is()
    {
        Action create = () => ComponentRegistry.Activations.Create("leaky_relu", new ComponentConfig().Set("slope", 2.0));
        Action missing = () => ComponentRegistry.UpdateRules.Create("adam", new ComponentConfig());

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*slope*[0, 1)*");
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*beta1*");
    }
}
