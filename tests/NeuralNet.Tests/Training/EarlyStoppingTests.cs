using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Early stopping on a problem whose validation curve is known in shape: a single linear unit starts at w = 0,
/// b = 0 and batch descent moves w steadily from 0 towards the training slope 1. Validation targets with slope
/// −1 then get worse from the first epoch on; validation targets with slope ½ get better until w passes ½
/// (about epoch 7 at rate 0.1), then worse.
/// </summary>
public class EarlyStoppingTests
{
    private static (Network<double> Network, Dataset<double> Train, Dataset<double> Validation) Problem(double validationSlope, int seed)
    {
        var random = new Random(seed);
        Matrix<double> x = TestData.GaussianMatrix(random, 20, 1);
        Matrix<double> xv = TestData.GaussianMatrix(random, 10, 1);
        Network<double> network = Network.Sequential<double>(1).Dense(1, Activation.Identity, Initializer.Zeros).Build(Loss.MeanSquaredError);
        return (network, Dataset.ForRegression(x, x), Dataset.ForRegression(xv, xv * validationSlope));
    }

    private static TrainingOptions Options(EarlyStopping? early, int epochs = 50, double rate = 0.1) => new()
    {
        Epochs = epochs,
        LearningRate = rate,
        GradientDescent = new BatchGradientDescent(),
        EarlyStopping = early,
    };

    /// <summary>The rule as documented, applied to a list of monitored losses: (epoch it stops after or null, best epoch).</summary>
    private static (int? StopEpoch, int BestEpoch) Expected(double[] monitored, int patience, double minimumImprovement)
    {
        double best = double.PositiveInfinity;
        int bestEpoch = 0;
        int without = 0;
        for (int i = 0; i < monitored.Length; i++)
        {
            if (monitored[i] < best - minimumImprovement)
            {
                (best, bestEpoch, without) = (monitored[i], i + 1, 0);
            }
            else if (++without >= patience)
            {
                return (i + 1, bestEpoch);
            }
        }

        return (null, bestEpoch);
    }

    private static double[] ValidationLosses(TrainingHistory history) => [.. history.Epochs.Select(e => e.ValidationLoss!.Value)];

    [Fact]
    public void A_validation_loss_that_only_rises_stops_training_after_patience_epochs()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: -1, seed: 501);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 3)), validation);

        ValidationLosses(history).Should().BeInAscendingOrder("the scenario moves w away from the validation slope from the start");
        history.BestEpoch.Should().Be(1);
        history.Epochs.Should().HaveCount(4, "epochs 2, 3 and 4 bring no improvement on epoch 1");
        history.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void A_validation_loss_that_falls_then_rises_stops_patience_epochs_after_its_minimum()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 0.5, seed: 502);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 4)), validation);

        double[] losses = ValidationLosses(history);
        int lowest = Array.IndexOf(losses, losses.Min()) + 1;
        lowest.Should().BeInRange(4, 12, "w crosses ½ around epoch 7");
        history.BestEpoch.Should().Be(lowest);
        history.Epochs.Should().HaveCount(lowest + 4);
        history.StoppedEarly.Should().BeTrue();
        losses.Skip(lowest).Should().OnlyContain(v => v > losses[lowest - 1]);
        Expected(losses, patience: 4, minimumImprovement: 0).Should().Be((lowest + 4, lowest));
    }

    [Fact]
    public void RestoreBestWeights_ends_with_exactly_the_best_epochs_validation_loss()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 0.5, seed: 503);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 3, restoreBestWeights: true)), validation);

        history.StoppedEarly.Should().BeTrue();
        int best = history.BestEpoch!.Value;
        double restored = network.ComputeLoss(validation.Features, validation.Targets);
        restored.Should().Be(history.Epochs[best - 1].ValidationLoss!.Value, "the restored weights are those at the end of the best epoch");
        restored.Should().BeLessThan(history.Epochs[^1].ValidationLoss!.Value);
    }

    [Fact]
    public void Without_RestoreBestWeights_the_network_keeps_the_last_epochs_weights()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 0.5, seed: 503);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 3, restoreBestWeights: false)), validation);

        history.StoppedEarly.Should().BeTrue();
        history.BestEpoch.Should().BeLessThan(history.Epochs.Count);
        network.ComputeLoss(validation.Features, validation.Targets).Should().Be(history.Epochs[^1].ValidationLoss!.Value);
    }

    [Fact]
    public void RestoreBestWeights_also_applies_when_the_run_ends_without_stopping()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 0.5, seed: 504);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 100), epochs: 20), validation);

        history.StoppedEarly.Should().BeFalse();
        history.Epochs.Should().HaveCount(20);
        double[] losses = ValidationLosses(history);
        history.BestEpoch.Should().Be(Array.IndexOf(losses, losses.Min()) + 1).And.BeLessThan(20);
        network.ComputeLoss(validation.Features, validation.Targets).Should().Be(losses.Min());
    }

    [Fact]
    public void MinimumImprovement_ignores_improvements_smaller_than_it()
    {
        // Validation like training (slope 1) and a small rate: the validation loss falls every epoch, by a little.
        (Network<double> reference, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 1, seed: 505);
        double[] losses = ValidationLosses(reference.Fit(train, Options(null, epochs: 12, rate: 0.01), validation));
        double[] gains = [.. losses.Zip(losses.Skip(1), (a, b) => a - b)];
        gains.Should().OnlyContain(g => g > 0, "the validation loss falls every epoch in this scenario");
        double threshold = losses[0] - losses[3] + 1e-9; // more than three epochs of gains together

        (Network<double> strict, _, _) = Problem(validationSlope: 1, seed: 505);
        TrainingHistory strictHistory = strict.Fit(train, Options(new EarlyStopping(patience: 3, minimumImprovement: threshold), epochs: 12, rate: 0.01), validation);
        (Network<double> lenient, _, _) = Problem(validationSlope: 1, seed: 505);
        TrainingHistory lenientHistory = lenient.Fit(train, Options(new EarlyStopping(patience: 3, minimumImprovement: 0), epochs: 12, rate: 0.01), validation);

        strictHistory.BestEpoch.Should().Be(1);
        strictHistory.Epochs.Should().HaveCount(4);
        strictHistory.StoppedEarly.Should().BeTrue();
        lenientHistory.Epochs.Should().HaveCount(12);
        lenientHistory.StoppedEarly.Should().BeFalse();
        lenientHistory.BestEpoch.Should().Be(12);
    }

    [Fact]
    public void MinimumImprovement_is_measured_from_the_best_loss_so_small_gains_add_up()
    {
        (Network<double> reference, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: 1, seed: 506);
        double[] losses = ValidationLosses(reference.Fit(train, Options(null, epochs: 15, rate: 0.02), validation));

        // Between the gain of one epoch and that of two: single epochs do not count, pairs do.
        double threshold = ((losses[1] - losses[2]) + (losses[1] - losses[3])) / 2;
        (int? stop, int best) = Expected(losses, patience: 2, minimumImprovement: threshold);
        (int? naiveStop, _) = ExpectedAgainstPreviousEpoch(losses, patience: 2, minimumImprovement: threshold);
        stop.Should().NotBe(naiveStop, "the scenario must tell 'better than the best' from 'better than the last epoch'");

        (Network<double> network, _, _) = Problem(validationSlope: 1, seed: 506);
        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 2, minimumImprovement: threshold), epochs: 15, rate: 0.02), validation);

        history.BestEpoch.Should().Be(best);
        history.Epochs.Should().HaveCount(stop ?? 15);
        history.StoppedEarly.Should().Be(stop is not null);
    }

    /// <summary>The tempting wrong rule: an improvement compared with the previous epoch rather than with the best.</summary>
    private static (int? StopEpoch, int BestEpoch) ExpectedAgainstPreviousEpoch(double[] monitored, int patience, double minimumImprovement)
    {
        double previous = double.PositiveInfinity;
        int without = 0;
        for (int i = 0; i < monitored.Length; i++)
        {
            bool improved = monitored[i] < previous - minimumImprovement;
            previous = monitored[i];
            if (improved)
            {
                without = 0;
            }
            else if (++without >= patience)
            {
                return (i + 1, 0);
            }
        }

        return (null, 0);
    }

    [Fact]
    public void Without_validation_data_the_training_loss_is_monitored()
    {
        // A rate far above 2/curvature (mean x² is about ½ here) makes batch descent diverge, so the training loss grows every epoch.
        (Network<double> network, Dataset<double> train, _) = Problem(validationSlope: 1, seed: 507);

        TrainingHistory history = network.Fit(train, Options(new EarlyStopping(patience: 2, restoreBestWeights: false), rate: 6));

        history.Epochs.Select(e => e.Loss).Should().BeInAscendingOrder();
        history.Epochs.Should().OnlyContain(e => e.ValidationLoss == null);
        history.BestEpoch.Should().Be(1);
        history.Epochs.Should().HaveCount(3);
        history.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void Without_early_stopping_there_is_no_best_epoch_and_no_early_stop()
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Problem(validationSlope: -1, seed: 508);

        TrainingHistory history = network.Fit(train, Options(null, epochs: 6), validation);

        history.BestEpoch.Should().BeNull();
        history.StoppedEarly.Should().BeFalse();
        history.Epochs.Should().HaveCount(6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_patience_that_is_not_positive_is_rejected(int patience)
    {
        Action act = () => _ = new EarlyStopping(patience);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*patience must be positive, but got {patience}*")
            .And.ParamName.Should().Be("patience");
    }

    [Theory]
    [InlineData(-0.5, "-0.5")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void A_negative_or_non_finite_minimum_improvement_is_rejected(double minimumImprovement, string shown)
    {
        Action act = () => _ = new EarlyStopping(3, minimumImprovement);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*minimumImprovement must be in [0, *), but got {shown}*")
            .And.ParamName.Should().Be("minimumImprovement");
    }
}
