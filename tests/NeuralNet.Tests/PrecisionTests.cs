using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
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
    private static readonly (double X, double Y)[] Centres = [(-2.0, 0.0), (2.0, 0.0), (0.0, 2.5)];

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float32_learns_three_blobs(string ruleName)
    {
        (double[,] points, int[] labels) = Blobs(new Random(2718));
        Network<float> network = Network.Sequential(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);
        Matrix<float> x = Matrix<float>.Build.DenseOfArray(ToFloat(points));

        TrainingHistory history = network.Fit(x, labels, Options(ruleName));

        network.Accuracy(x, labels).Should().BeGreaterThanOrEqualTo(0.95);
        history.FinalLoss.Should().BeLessThan(0.25 * history.Epochs[0].Loss);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float64_learns_three_blobs(string ruleName)
    {
        (double[,] points, int[] labels) = Blobs(new Random(2718));
        Network<double> network = Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(points);

        TrainingHistory history = network.Fit(x, labels, Options(ruleName));

        network.Accuracy(x, labels).Should().BeGreaterThanOrEqualTo(0.95);
        history.FinalLoss.Should().BeLessThan(0.25 * history.Epochs[0].Loss);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Float32_and_float64_with_the_same_seeds_reach_similar_losses(string ruleName)
    {
        (double[,] points, int[] labels) = Blobs(new Random(1618));
        Network<float> single = Network.Sequential(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        Network<double> twice = Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);

        // The initialisers draw doubles and round them, so float starts within float rounding of double.
        double[] singleStart = AllValues(single);
        double[] twiceStart = AllValues(twice);
        singleStart.Should().Equal(twiceStart, (f, d) => Math.Abs(f - d) <= 1e-7 * Math.Max(1.0, Math.Abs(d)));

        TrainingHistory singleHistory = single.Fit(Matrix<float>.Build.DenseOfArray(ToFloat(points)), labels, Options(ruleName));
        TrainingHistory twiceHistory = twice.Fit(Matrix<double>.Build.DenseOfArray(points), labels, Options(ruleName));

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
        UpdateRule = ruleName == "adam" ? new Adam() : new Plain(),
        Seed = 9,
    };

    private static double[] AllValues<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Select(v => double.CreateChecked(v))];

    private static float[,] ToFloat(double[,] values)
    {
        var result = new float[values.GetLength(0), values.GetLength(1)];
        for (int i = 0; i < values.GetLength(0); i++)
        {
            for (int j = 0; j < values.GetLength(1); j++)
            {
                result[i, j] = (float)values[i, j];
            }
        }

        return result;
    }

    /// <summary>Three isotropic Gaussian blobs (σ = 0.5) whose centres are at least 2.5 apart: separable with a wide margin.</summary>
    private static (double[,] Points, int[] Labels) Blobs(Random random)
    {
        var points = new double[3 * PerClass, 2];
        var labels = new int[3 * PerClass];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = i % 3;
            labels[i] = label;
            points[i, 0] = Centres[label].X + (0.5 * Gaussian(random));
            points[i, 1] = Centres[label].Y + (0.5 * Gaussian(random));
        }

        return (points, labels);
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
