using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// The linear warm-up against PyTorch's <c>LinearLR</c>, and reduce-on-plateau against PyTorch's
/// <c>ReduceLROnPlateau</c> with Keras' patience (Fixtures/pytorch/training.json); both in training, and their checks.
/// </summary>
public class WarmupAndPlateauTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_warmed_up_constant_schedule_gives_PyTorch_LinearLR_rates(int record)
    {
        JsonNode reference = PyTorchReference.Training["warmup"]![record]!;
        double baseRate = reference["base"]!.GetValue<double>();
        LearningRateSchedule schedule = LearningRateSchedule.Constant.WithWarmup(reference["warmup"]!.GetValue<int>());
        double[] expected = PyTorchReference.Vector(reference["rates"]!);

        double[] actual = [.. Enumerable.Range(1, expected.Length).Select(e => schedule.Rate(baseRate, e, expected.Length))];

        actual.Should().Equal(expected, (a, e) => PyTorchReference.Difference(a, e) <= 1e-16);
    }

    [Fact]
    public void A_warm_up_multiplies_the_schedule_it_wraps_and_then_leaves_it_alone()
    {
        LearningRateSchedule cosine = LearningRateSchedule.Cosine(0.001);
        LearningRateSchedule warmed = cosine.WithWarmup(3);

        for (int e = 1; e <= 10; e++)
        {
            double expected = cosine.Rate(0.1, e, 10) * Math.Min(1.0, e / 3.0);
            warmed.Rate(0.1, e, 10).Should().BeApproximately(expected, 1e-17, "epoch {0}", e);
        }

        warmed.Rate(0.1, 1, 10).Should().BeLessThan(cosine.Rate(0.1, 1, 10));
        warmed.ToString().Should().Be("cosine(min=0.001).warmup(3)");
    }

    [Fact]
    public void Training_records_the_warmed_up_rates()
    {
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.2, Schedule = LearningRateSchedule.Constant.WithWarmup(4) };

        TrainingHistory history = network.Fit(x, labels, options);

        history.Epochs.Select(r => r.LearningRate).Should().Equal([0.05, 0.1, 0.15000000000000002, 0.2, 0.2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_warm_up_of_no_epochs_throws_naming_the_value(int epochs)
    {
        Action act = () => LearningRateSchedule.Constant.WithWarmup(epochs);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "epochs").WithMessage($"*{epochs}*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Reduce_on_plateau_gives_PyTorch_ReduceLROnPlateau_rates_on_fixed_losses(int record)
    {
        JsonNode reference = PyTorchReference.Training["plateau"]![record]!;
        var rule = new ReduceOnPlateau(
            reference["factor"]!.GetValue<double>(),
            reference["patience"]!.GetValue<int>(),
            reference["min_rate"]!.GetValue<double>(),
            reference["min_delta"]!.GetValue<double>());
        double baseRate = reference["base"]!.GetValue<double>();
        double[] losses = PyTorchReference.Vector(reference["losses"]!);
        double[] expected = PyTorchReference.Vector(reference["rates"]!);
        var tracker = new PlateauTracker(rule);

        var actual = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            double rate = tracker.Rate(baseRate);
            actual.Add(rate);
            tracker.Observe(new EpochRecord { Epoch = e + 1, Loss = 99, ValidationLoss = losses[e], LearningRate = rate, Updates = 1, Elapsed = TimeSpan.Zero });
        }

        actual.Should().Equal(expected, (a, x) => PyTorchReference.Difference(a, x) <= 1e-17);
        expected.Distinct().Should().HaveCountGreaterThan(2, "the fixture must reduce the rate more than once");
    }

    [Fact]
    public void Training_reduces_the_rate_after_patience_epochs_without_improvement()
    {
        // An improvement of 1e9 never comes after the first epoch (which improves on +∞), so with patience 2 the rate
        // halves after epochs 3, 5 and 7; the schedule's warm-up is multiplied in.
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        var options = new TrainingOptions
        {
            Epochs = 8,
            LearningRate = 0.1,
            Schedule = LearningRateSchedule.Constant.WithWarmup(2),
            ReduceOnPlateau = new ReduceOnPlateau(factor: 0.5, patience: 2, minimumRate: 0.015, minimumImprovement: 1e9),
        };

        TrainingHistory history = network.Fit(x, labels, options);

        history.Epochs.Select(r => r.LearningRate).Should().Equal([0.05, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.015]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_factor_outside_0_1_throws_naming_the_range_and_the_value(double factor)
    {
        Action act = () => _ = new ReduceOnPlateau(factor);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "factor")
            .WithMessage(FormattableString.Invariant($"factor must be in (0, 1), but got {factor}.*"));
    }

    [Fact]
    public void Other_plateau_arguments_out_of_range_throw_naming_the_argument()
    {
        ((Action)(() => _ = new ReduceOnPlateau(patience: 0))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "patience");
        ((Action)(() => _ = new ReduceOnPlateau(minimumRate: -1e-3))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "minimumRate").WithMessage("*minimumRate must be in [0, *but got -0.001*");
        ((Action)(() => _ = new ReduceOnPlateau(minimumImprovement: double.NaN))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "minimumImprovement").WithMessage("*but got NaN*");
    }

    private static (Network<double> Network, Matrix<double> Inputs, int[] Labels) Problem()
    {
        var random = new Random(77);
        Network<double> network = Network.Sequential<double>(4).Dense(5, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);
        return (network, TestData.RandomMatrix(random, 30, 4), TestData.Interleaved(30, 3));
    }
}
