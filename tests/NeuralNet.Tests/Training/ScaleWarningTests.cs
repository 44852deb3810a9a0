using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Unscaled data (a feature spread orders of magnitude wider than another, regression targets far from mean 0 and
/// deviation 1) earns one warning on the first epoch's record, on the console progress, and in the divergence message.
/// </summary>
public class ScaleWarningTests
{
    /// <summary>Two features with standard deviations near 1 and <paramref name="secondScale"/>, and targets a·x₀ + b·x₁/scale, times <paramref name="targetScale"/>, plus <paramref name="targetShift"/>.</summary>
    private static (Matrix<double> Inputs, Matrix<double> Targets) Data(double secondScale, double targetScale = 1, double targetShift = 0)
    {
        var random = new Random(3);
        Matrix<double> inputs = Matrix<double>.Build.Dense(64, 2, (_, j) => (random.NextDouble() - 0.5) * 3.4 * (j == 1 ? secondScale : 1));
        Matrix<double> targets = Matrix<double>.Build.Dense(64, 1, (i, _) => (((0.6 * inputs[i, 0]) - (0.8 * inputs[i, 1] / secondScale)) * targetScale) + targetShift);
        return (inputs, targets);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 5);

    [Fact]
    public void Scaled_data_earns_no_warning()
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 1);

        TrainingHistory history = Build().Fit(x, y, new TrainingOptions { Epochs = 3 });

        history.Epochs.Should().OnlyContain(e => e.Warning == null);
    }

    [Fact]
    public void A_feature_three_orders_wider_than_another_is_named_once_on_the_first_record()
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 5000);
        var seen = new List<EpochRecord>();

        TrainingHistory history = Build().Fit(x, y, new TrainingOptions { Epochs = 3, LearningRate = 1e-9, OnEpoch = seen.Add });

        history.Epochs[0].Warning.Should().StartWith("The data looks unscaled").And.Contain("feature 1 varies").And.Contain("feature 0").And.Contain("StandardScaler");
        history.Epochs.Skip(1).Should().OnlyContain(e => e.Warning == null, because: "the warning is given once per run");
        seen[0].Warning.Should().Be(history.Epochs[0].Warning);
    }

    [Theory]
    [InlineData(1, 500)]
    [InlineData(300, 0)]
    [InlineData(0.001, 0)]
    public void Regression_targets_far_from_mean_0_and_deviation_1_are_named(double targetScale, double targetShift)
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 1, targetScale, targetShift);

        TrainingHistory history = Build().Fit(x, y, new TrainingOptions { Epochs = 1, LearningRate = 1e-9 });

        history.Epochs[0].Warning.Should().Contain("target 0 has mean").And.NotContain("varies");
    }

    [Fact]
    public void Class_labels_are_not_targets_to_scale()
    {
        (Matrix<double> x, _) = Data(secondScale: 1);
        int[] labels = [.. Enumerable.Range(0, 64).Select(i => i % 2)];
        Network<double> network = Network.Sequential<double>(2).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 1);

        TrainingHistory history = network.Fit(x, labels, new TrainingOptions { Epochs = 1 });

        history.Epochs[0].Warning.Should().BeNull();
    }

    [Fact]
    public void The_console_progress_prints_the_warning_before_the_first_epoch_line()
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 5000);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        Build().Fit(x, y, new TrainingOptions { Epochs = 2, LearningRate = 1e-9, Progress = TrainingProgress.Console(writer, TimeSpan.FromHours(1)) });

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().StartWith("warning: The data looks unscaled");
        lines[1].Should().StartWith("epoch 1/2");
    }

    [Fact]
    public void A_divergence_on_unscaled_data_names_it_as_the_likely_cause()
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 1e6, targetScale: 1e6);

        Action fit = () => Build().Fit(x, y, new TrainingOptions { Epochs = 5, LearningRate = 1e308, GradientDescent = new BatchGradientDescent() });

        fit.Should().Throw<TrainingDivergedException>().WithMessage("Training diverged in epoch *The data looks unscaled*feature 1 varies*target 0 has mean*");
    }

    [Fact]
    public void A_divergence_on_scaled_data_does_not_blame_the_data()
    {
        (Matrix<double> x, Matrix<double> y) = Data(secondScale: 1);

        Action fit = () => Build().Fit(x, y, new TrainingOptions { Epochs = 5, LearningRate = 1e308, GradientDescent = new BatchGradientDescent() });

        fit.Should().Throw<TrainingDivergedException>().Which.Message.Should().NotContain("unscaled");
    }
}
