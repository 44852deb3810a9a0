using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Losses;

/// <summary>Bad arguments to a loss used on its own.</summary>
public class LossBadInputTests
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
}
