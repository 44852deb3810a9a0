using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Preconditions of the public helpers a custom training loop calls directly.</summary>
public class PreconditionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_batch_size_is_asked_for_a_positive_sample_count(int samples)
    {
        GradientDescent[] descents = [new BatchGradientDescent(), new StochasticGradientDescent(), new MiniBatchGradientDescent(8)];

        foreach (GradientDescent descent in descents)
        {
            Action act = () => descent.BatchSize(samples);
            act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"sampleCount must be positive, but got {samples}*");
        }
    }

    [Theory]
    [InlineData(0.0, 1, 10, "baseRate")]
    [InlineData(double.NaN, 1, 10, "baseRate")]
    [InlineData(0.1, 0, 10, "epoch")]
    [InlineData(0.1, 11, 10, "epoch")]
    [InlineData(0.1, 1, 0, "totalEpochs")]
    public void A_schedule_rejects_rates_and_epochs_out_of_range(double baseRate, int epoch, int total, string parameter)
    {
        LearningRateSchedule[] schedules = [LearningRateSchedule.Constant, LearningRateSchedule.Step(2, 0.5), LearningRateSchedule.Exponential(0.9), LearningRateSchedule.Cosine()];

        foreach (LearningRateSchedule schedule in schedules)
        {
            Action act = () => schedule.Rate(baseRate, epoch, total);
            act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithParameterName(parameter).WithMessage($"{parameter} must be*");
        }
    }
}
