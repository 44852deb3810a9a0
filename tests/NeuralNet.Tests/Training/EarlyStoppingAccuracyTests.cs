using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Early stopping that watches the validation accuracy (mode max): on two overlapping blobs with a small validation
/// set, the accuracy soon stops rising while the loss still falls.
/// </summary>
public class EarlyStoppingAccuracyTests
{
    private static readonly double[][] Centres = [[-1, 0], [1, 0]];

    private static (Network<double> Network, Dataset<double> Train, Dataset<double> Validation) Problem(Loss loss, int outputs, Func<int[], Matrix<double>, Dataset<double>> make)
    {
        var random = new Random(601);
        int[] trainLabels = TestData.Interleaved(80, 2);
        int[] validationLabels = TestData.Interleaved(20, 2);
        Dataset<double> train = make(trainLabels, TestData.Blobs<double>(random, Centres, trainLabels, spread: 1.2));
        Dataset<double> validation = make(validationLabels, TestData.Blobs<double>(random, Centres, validationLabels, spread: 1.2));
        // A hidden layer from seeded random weights and a small rate: the accuracy climbs over several epochs.
        Network<double> network = Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(outputs).Build(loss, seed: 3);
        return (network, train, validation);
    }

    private static (Network<double> Network, Dataset<double> Train, Dataset<double> Validation) Classification()
        => Problem(Loss.SoftmaxCrossEntropy, 2, (labels, x) => Dataset.ForClassification(x, labels));

    private static TrainingOptions Options(EarlyStopping early) => new()
    {
        Epochs = 300,
        LearningRate = 0.02,
        GradientDescent = new BatchGradientDescent(),
        EarlyStopping = early,
    };

    /// <summary>The rule as documented for mode max: (epoch it stops after or null, best epoch).</summary>
    private static (int? StopEpoch, int BestEpoch) Expected(double[] accuracies, int patience, double minimumImprovement)
    {
        double best = double.NegativeInfinity;
        int bestEpoch = 0;
        int without = 0;
        for (int i = 0; i < accuracies.Length; i++)
        {
            if (accuracies[i] > best + minimumImprovement)
            {
                (best, bestEpoch, without) = (accuracies[i], i + 1, 0);
            }
            else if (++without >= patience)
            {
                return (i + 1, bestEpoch);
            }
        }

        return (null, bestEpoch);
    }

    [Theory]
    [InlineData(3, 0.0)]
    [InlineData(5, 0.0)]
    [InlineData(3, 0.06)]
    public void Training_stops_patience_epochs_after_the_highest_validation_accuracy(int patience, double minimumImprovement)
    {
        (Network<double> network, Dataset<double> train, Dataset<double> validation) = Classification();
        var rule = new EarlyStopping(patience, minimumImprovement) { Monitor = EarlyStoppingMetric.ValidationAccuracy };

        TrainingHistory history = network.Fit(train, Options(rule), validation);

        double[] accuracies = [.. history.Epochs.Select(e => e.ValidationAccuracy!.Value)];
        (int? stop, int best) = Expected(accuracies, patience, minimumImprovement);
        history.StoppedEarly.Should().BeTrue();
        stop.Should().Be(history.Epochs.Count);
        history.BestEpoch.Should().Be(best).And.BeGreaterThan(1, $"the accuracy rises before it stalls: {string.Join(", ", accuracies)}");
        network.Accuracy(validation.Features, validation.Labels!).Should().Be(accuracies[best - 1], "the best epoch's weights are restored");
    }

    [Fact]
    public void Watching_the_accuracy_stops_while_the_validation_loss_still_falls()
    {
        (Network<double> byAccuracy, Dataset<double> train, Dataset<double> validation) = Classification();
        (Network<double> byLoss, _, _) = Classification();

        TrainingHistory accuracy = byAccuracy.Fit(train, Options(new EarlyStopping(3) { Monitor = EarlyStoppingMetric.ValidationAccuracy }), validation);
        TrainingHistory loss = byLoss.Fit(train, Options(new EarlyStopping(3)), validation);

        accuracy.Epochs.Count.Should().BeLessThan(loss.Epochs.Count);
        double[] losses = [.. accuracy.Epochs.Select(e => e.ValidationLoss!.Value)];
        losses.Should().BeInDescendingOrder("the loss improves in every epoch the accuracy-watching run made");
    }

    [Fact]
    public void Watching_the_accuracy_without_validation_data_fails_after_the_first_epoch_saying_why()
    {
        (Network<double> network, Dataset<double> train, _) = Classification();

        FluentActions.Invoking(() => network.Fit(train, Options(new EarlyStopping(3) { Monitor = EarlyStoppingMetric.ValidationAccuracy })))
            .Should().Throw<InvalidOperationException>().WithMessage("*validation accuracy, but epoch 1 has none*validation data and a cross-entropy loss*");
    }

    [Fact]
    public void An_undefined_metric_is_refused_with_its_value()
    {
        FluentActions.Invoking(() => new EarlyStopping() { Monitor = (EarlyStoppingMetric)7 })
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Loss or ValidationAccuracy*but got 7*");
    }

    [Fact]
    public void The_loss_is_watched_by_default()
    {
        new EarlyStopping().Monitor.Should().Be(EarlyStoppingMetric.Loss);
    }
}
