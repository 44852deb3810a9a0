using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests;

/// <summary>
/// float32 (the default) and float64 run the same engine: both must learn a small three-class problem end to end,
/// and with the same seeds they draw the same starting weights (up to float rounding) and the same batches.
/// </summary>
public class PrecisionTests
{
    private const int PerClass = 20;

    // Centres at least 2.5 apart and σ = 0.5: three blobs separable with a wide margin.
    private static readonly double[][] Centres = [[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]];

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float32_learns_three_blobs(string ruleName)
    {
        int[] labels = Labels();
        Matrix<float> x = Blobs<float>(new Random(2718), labels);
        Network<float> network = Network.Sequential(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);

        TrainingHistory history = network.Fit(x, labels, Options(ruleName));

        network.Accuracy(x, labels).Should().BeGreaterThanOrEqualTo(0.95);
        history.FinalLoss.Should().BeLessThan(0.25 * history.Epochs[0].Loss);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float64_learns_three_blobs(string ruleName)
    {
        int[] labels = Labels();
        Matrix<double> x = Blobs<double>(new Random(2718), labels);
        Network<double> network = Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);

        TrainingHistory history = network.Fit(x, labels, Options(ruleName));

        network.Accuracy(x, labels).Should().BeGreaterThanOrEqualTo(0.95);
        history.FinalLoss.Should().BeLessThan(0.25 * history.Epochs[0].Loss);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float32_and_float64_with_the_same_seeds_reach_similar_losses(string ruleName)
    {
        int[] labels = Labels();
        Network<float> single = Network.Sequential(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        Network<double> twice = Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);

        // The initialisers draw doubles and round them, so float starts within float rounding of double.
        double[] singleStart = AllValues(single);
        double[] twiceStart = AllValues(twice);
        singleStart.Should().Equal(twiceStart, (f, d) => Math.Abs(f - d) <= 1e-7 * Math.Max(1.0, Math.Abs(d)));

        TrainingHistory singleHistory = single.Fit(Blobs<float>(new Random(1618), labels), labels, Options(ruleName));
        TrainingHistory twiceHistory = twice.Fit(Blobs<double>(new Random(1618), labels), labels, Options(ruleName));

        // Same batches on a smooth problem: float32's relative rounding (~6e-8 per operation) accumulated over
        // 240 updates stays well below 1e-4, while a precision-dependent bug (a wrong cast, a lost term) would not.
        singleHistory.Epochs.Select(e => e.Loss).Should().Equal(
            twiceHistory.Epochs.Select(e => e.Loss), (f, d) => Math.Abs(f - d) <= 1e-4 * Math.Max(1.0, d));
    }

    private static TrainingOptions Options(string ruleName) => new()
    {
        Epochs = 30,
        LearningRate = ruleName == "adam" ? 0.02 : 0.1,
        GradientDescent = new MiniBatchGradientDescent(8),
        UpdateRule = Named.Rule(ruleName),
        Seed = 9,
    };

    private static double[] AllValues<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Select(v => double.CreateChecked(v))];

    private static int[] Labels() => TestData.Interleaved(3 * PerClass, 3);

    /// <summary>The blobs in double, rounded to <typeparamref name="T"/>: float and double see the same points up to rounding.</summary>
    private static Matrix<T> Blobs<T>(Random random, int[] labels)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TestData.Blobs<T>(random, Centres, labels, spread: 0.5, DrawOrder.SampleBySample);
}
