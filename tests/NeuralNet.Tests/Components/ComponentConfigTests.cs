using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Components;

/// <summary>A component's configuration: typed entries by key, checked on the way in and out, compared by content.</summary>
public class ComponentConfigTests
{
    [Fact]
    public void Every_kind_of_value_comes_back_as_it_was_set()
    {
        ComponentConfig config = new ComponentConfig()
            .Set("rate", 0.25)
            .Set("units", 7)
            .Set("bias", true)
            .Set("mode", "tanh")
            .Set("weights", [1.0, -2.5])
            .Set("activation", Activation.LeakyRelu(0.2))
            .Set("initializer", Initializer.RandomNormal(0.5))
            .Set("loss", Loss.SoftmaxCrossEntropy)
            .Set("rule", new Adam(0.8));

        config.Count.Should().Be(9);
        config.Keys.Should().Equal("rate", "units", "bias", "mode", "weights", "activation", "initializer", "loss", "rule");
        config.GetDouble("rate").Should().Be(0.25);
        config.GetInt32("units").Should().Be(7);
        config.GetDouble("units").Should().Be(7, "a whole number reads as a number too");
        config.GetBoolean("bias").Should().BeTrue();
        config.GetString("mode").Should().Be("tanh");
        config.GetDoubles("weights").Should().Equal(1.0, -2.5);
        config.GetActivation("activation").Should().BeOfType<LeakyRelu>().Which.Slope.Should().Be(0.2);
        config.GetInitializer("initializer").Should().BeOfType<RandomNormal>().Which.StandardDeviation.Should().Be(0.5);
        config.GetLoss("loss").Should().BeSameAs(Loss.SoftmaxCrossEntropy);
        config.GetUpdateRule("rule").Should().BeOfType<Adam>().Which.Beta1.Should().Be(0.8);
    }

    [Fact]
    public void A_missing_entry_names_the_key_and_what_there_is()
    {
        ComponentConfig config = new ComponentConfig().Set("slope", 0.1);

        Action missing = () => config.GetDouble("alpha");

        missing.Should().Throw<KeyNotFoundException>().WithMessage("*no entry 'alpha'*a number*'slope'*");
        config.GetDouble("alpha", 0.3).Should().Be(0.3, "an entry written by a later version falls back to its default");
        config.GetInt32("units", 4).Should().Be(4);
        config.GetBoolean("flag", true).Should().BeTrue();
    }

    [Fact]
    public void An_entry_of_another_kind_names_both_kinds()
    {
        ComponentConfig config = new ComponentConfig().Set("units", 3).Set("slope", 0.5).Set("activation", Activation.Relu);

        FluentActions.Invoking(() => config.GetString("units")).Should().Throw<InvalidCastException>().WithMessage("*'units' holds a whole number, but text was expected*");
        FluentActions.Invoking(() => config.GetInt32("slope")).Should().Throw<InvalidCastException>().WithMessage("*'slope' holds a number, but a whole number was expected*");
        FluentActions.Invoking(() => config.GetLoss("activation")).Should().Throw<InvalidCastException>().WithMessage("*'activation' holds an activation, but a loss was expected*");
        FluentActions.Invoking(() => config.GetDouble("activation", 1.0)).Should().Throw<InvalidCastException>();
    }

    [Fact]
    public void A_whole_number_too_large_for_an_int_is_refused_when_read_as_one()
    {
        ComponentConfig config = new ComponentConfig().Set("units", 1L << 40);

        FluentActions.Invoking(() => config.GetInt32("units")).Should().Throw<OverflowException>().WithMessage("*'units' is 1099511627776*32-bit*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("a/b")]
    [InlineData("a_key_longer_than_sixty_four_characters_is_not_an_identifier_here_")]
    public void Keys_must_be_short_identifiers(string key)
    {
        Action set = () => new ComponentConfig().Set(key, 1.0);

        set.Should().Throw<ArgumentException>().WithMessage("*configuration key must be 1 to 64 characters*");
    }

    [Fact]
    public void Setting_a_key_again_replaces_its_value()
    {
        ComponentConfig config = new ComponentConfig().Set("rate", 0.1).Set("rate", 0.2);

        config.Count.Should().Be(1);
        config.GetDouble("rate").Should().Be(0.2);
    }

    [Fact]
    public void Configurations_are_equal_by_content_in_any_order()
    {
        ComponentConfig a = new ComponentConfig().Set("x", 1.0).Set("y", double.NaN).Set("act", Activation.LeakyRelu(0.1));
        ComponentConfig b = new ComponentConfig().Set("act", new LeakyRelu(0.1)).Set("y", double.NaN).Set("x", 1.0);
        ComponentConfig c = new ComponentConfig().Set("x", 1.0).Set("y", double.NaN).Set("act", Activation.LeakyRelu(0.2));
        ComponentConfig d = new ComponentConfig().Set("x", 1L).Set("y", double.NaN).Set("act", Activation.LeakyRelu(0.1));

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(c, "the nested activation's slope differs");
        a.Should().NotBe(d, "a number and a whole number are different values");
        a.ToString().Should().Be("x=1, y=NaN, act=leaky_relu(0.1)");
    }

    [Fact]
    public void A_list_is_copied_in_and_out()
    {
        double[] values = [1, 2];
        ComponentConfig config = new ComponentConfig().Set("w", values);
        values[0] = 99;
        double[] read = config.GetDoubles("w");
        read[1] = 99;

        config.GetDoubles("w").Should().Equal(1, 2);
    }
}
