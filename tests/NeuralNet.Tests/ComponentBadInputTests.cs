using NeuralNet.Activations;
using NeuralNet.Evaluation;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>
/// Bad arguments to the building blocks used on their own: losses, activations, initialisers and metrics.
/// </summary>
public class ComponentBadInputTests
{
    [Fact]
    public void Loss_Compute_rejects_targets_of_a_different_shape()
    {
        var random = new Random(4001);

        Action act = () => Loss.MeanSquaredError.Compute(TestData.RandomMatrix(random, 2, 3), TestData.RandomMatrix(random, 2, 4));

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*mean_squared_error expects target to be 2×3 but got 2×4*")
            .And.ParamName.Should().Be("target");
    }

    [Fact]
    public void Activation_Derivative_rejects_a_gradient_of_a_different_shape()
    {
        var random = new Random(4002);

        Action act = () => Activation.Relu.Derivative(TestData.RandomMatrix(random, 2, 3), TestData.RandomMatrix(random, 3, 2));

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*relu activation expects outputGradient to be 2×3 but got 3×2*");
    }

    // 1 is excluded because a slope of 1 makes the "leaky" ReLU the identity.
    [Theory]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1.0, "1")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void LeakyRelu_rejects_a_slope_outside_zero_to_one(double slope, string shown)
    {
        Action act = () => Activation.LeakyRelu(slope);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*slope must be in [0, 1), but got {shown}.*")
            .And.ParamName.Should().Be("slope");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.01, "-0.01")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void RandomNormal_rejects_a_standard_deviation_that_is_not_positive_and_finite(double sd, string shown)
    {
        Action act = () => Initializer.RandomNormal(sd);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*standardDeviation must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("standardDeviation");
    }

    [Fact]
    public void Metrics_Accuracy_rejects_lists_of_different_lengths()
    {
        Action act = () => Metrics.Accuracy([0, 1, 1], [0, 1]);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*as many predictions as answers*2 predictions and 3 answers*");
    }

    // Accuracy of nothing is 0/0; returning NaN or 0 would silently poison an evaluation report.
    [Fact]
    public void Metrics_Accuracy_rejects_empty_lists()
    {
        Action act = () => Metrics.Accuracy([], []);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one prediction, but got none*");
    }
}
