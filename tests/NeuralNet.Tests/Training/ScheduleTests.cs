using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Learning-rate schedules. Expected rates are worked out by hand from the documented formulas: step
/// <c>η·f^⌊(e−1)/k⌋</c>, exponential <c>η·f^(e−1)</c>, cosine <c>min + (η − min)(1 + cos(π(e−1)/E))/2</c>.
/// </summary>
public class ScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void Constant_gives_the_base_rate_in_every_epoch(int epoch)
    {
        LearningRateSchedule.Constant.Rate(0.03, epoch, 100).Should().Be(0.03);
    }

    [Theory]
    [InlineData(1, 0.8)]
    [InlineData(3, 0.8)] // still the first step of three epochs
    [InlineData(4, 0.4)] // first drop
    [InlineData(6, 0.4)]
    [InlineData(7, 0.2)]
    [InlineData(10, 0.1)]
    public void Step_halves_the_rate_every_three_epochs(int epoch, double expected)
    {
        // Halving is exact in binary, so the values are exact.
        LearningRateSchedule.Step(3, 0.5).Rate(0.8, epoch, 20).Should().Be(expected);
    }

    [Fact]
    public void Step_with_a_factor_of_one_stays_at_the_base_rate()
    {
        LearningRateSchedule schedule = LearningRateSchedule.Step(1, 1.0);

        Enumerable.Range(1, 10).Select(e => schedule.Rate(0.05, e, 10)).Should().AllBeEquivalentTo(0.05);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.9)]
    [InlineData(3, 0.81)]
    [InlineData(5, 0.6561)]
    public void Exponential_multiplies_by_the_factor_every_epoch(int epoch, double multiple)
    {
        LearningRateSchedule.Exponential(0.9).Rate(0.2, epoch, 10).Should().BeApproximately(0.2 * multiple, 1e-15);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.85355339059327373)] // (1 + cos(π/4))/2 = (1 + √2/2)/2
    [InlineData(3, 0.5)] // (1 + cos(π/2))/2
    [InlineData(4, 0.14644660940672624)] // (1 + cos(3π/4))/2 = (1 − √2/2)/2
    public void Cosine_to_zero_follows_half_a_cosine_over_the_run(int epoch, double expected)
    {
        LearningRateSchedule.Cosine().Rate(1.0, epoch, 4).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(2, 0.055)] // 0.01 + 0.09·(1 + cos(π/2))/2
    public void Cosine_approaches_its_minimum_rate(int epoch, double expected)
    {
        LearningRateSchedule.Cosine(0.01).Rate(0.1, epoch, 2).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void Cosine_never_rises_and_stays_above_its_minimum()
    {
        LearningRateSchedule schedule = LearningRateSchedule.Cosine(0.001);

        double[] rates = [.. Enumerable.Range(1, 30).Select(e => schedule.Rate(0.1, e, 30))];

        rates.Should().BeInDescendingOrder();
        rates.Should().OnlyContain(r => r > 0.001 && r <= 0.1);
    }

    [Fact]
    public void Cosine_over_a_single_epoch_uses_the_base_rate()
    {
        LearningRateSchedule.Cosine(0.01).Rate(0.1, 1, 1).Should().Be(0.1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Step_rejects_an_interval_that_is_not_positive(int every)
    {
        Action act = () => LearningRateSchedule.Step(every, 0.5);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*everyEpochs must be positive, but got {every}*");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void Step_and_Exponential_reject_a_factor_outside_zero_to_one(double factor, string shown)
    {
        Action step = () => LearningRateSchedule.Step(2, factor);
        Action exponential = () => LearningRateSchedule.Exponential(factor);

        step.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*factor must be in*1], but got {shown}*");
        exponential.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*factor must be in*1], but got {shown}*");
    }

    [Theory]
    [InlineData(-0.01, "-0.01")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Cosine_rejects_a_negative_or_non_finite_minimum(double minimum, string shown)
    {
        Action act = () => LearningRateSchedule.Cosine(minimum);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*minimumRate must be in [0, *), but got {shown}*");
    }

    [Fact]
    public void Training_rejects_a_missing_schedule()
    {
        Network<double> network = Network.Sequential<double>(2).Dense(1).Build(Loss.MeanSquaredError);
        Matrix<double> inputs = Matrix<double>.Build.Dense(3, 2, 1.0);
        Matrix<double> targets = Matrix<double>.Build.Dense(3, 1, 0.5);

        Action act = () => network.Fit(inputs, targets, new TrainingOptions { Schedule = null! });

        act.Should().Throw<ArgumentNullException>().And.ParamName.Should().Be("Schedule");
    }
}
