using NeuralNet.Initializers;

namespace NeuralNet.Tests.Initializers;

/// <summary>Bad arguments to an initialiser's hyper-parameters.</summary>
public class InitializerBadInputTests
{
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
}
