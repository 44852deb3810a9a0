using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Activations;

/// <summary>
/// Bad arguments to activations used on their own: shapes that do not match, a leaky ReLU slope out of range, and an
/// empty matrix for softmax, whether applied as an activation or as the transform of the softmax cross-entropy loss.
/// </summary>
public class ActivationBadInputTests
{
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

    [Fact]
    public void Softmax_and_loss_transform_reject_an_empty_matrix_instead_of_dividing_by_zero()
    {
        Action apply = () => Activation.Softmax.Apply(Matrix<double>.Build.Dense(0, 3));
        Action transform = () => Loss.SoftmaxCrossEntropy.Transform(Matrix<double>.Build.Dense(0, 3));

        apply.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one row*0×3*");
        transform.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one row*0×3*");
    }
}
