using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Training options out of range: Fit must refuse them up front, naming the option and the value, rather than
/// train with a step that diverges or silently does nothing.
/// </summary>
public class TrainingOptionsBadInputTests
{
    private static (Network<double> Network, Matrix<double> Inputs, int[] Labels) Problem(int seed)
    {
        var random = new Random(seed);
        Network<double> network = Network.Sequential<double>(3).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 7);
        Matrix<double> inputs = Matrix<double>.Build.Dense(8, 3, (_, _) => random.NextDouble());
        int[] labels = TestData.RandomLabels(random, 8, 2);
        return (network, inputs, labels);
    }

    // The expected text is the invariant rendering of the value, so the message stays readable in any culture.
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Fit_rejects_a_learning_rate_that_is_not_positive_and_finite(double learningRate, string shown)
    {
        (Network<double> network, Matrix<double> inputs, int[] labels) = Problem(2001);

        Action act = () => network.Fit(inputs, labels, new TrainingOptions { LearningRate = learningRate });

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*LearningRate must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("LearningRate");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Fit_rejects_an_epoch_count_that_is_not_positive(int epochs)
    {
        (Network<double> network, Matrix<double> inputs, int[] labels) = Problem(2002);

        Action act = () => network.Fit(inputs, labels, new TrainingOptions { Epochs = epochs });

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*Epochs must be positive, but got {epochs}.*")
            .And.ParamName.Should().Be("Epochs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void MiniBatchGradientDescent_rejects_a_batch_size_that_is_not_positive(int size)
    {
        Action act = () => _ = new MiniBatchGradientDescent(size);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*size must be positive, but got {size}.*");
    }
}
