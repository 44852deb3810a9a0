using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <see cref="NetworkHealth.CheckGradients"/> on a small network holding each component, set up as NetworkHealthTests
/// sets up its check of a network with the toolkit's layers: 16 samples of 5 inputs drawn uniformly from [−1, 1) by
/// <c>new Random(9)</c> column by column, the labels 0, 1, 2, 0, … (one-hot), networks built with seed 4 and trained
/// 3 epochs (rate 0.1, mini-batches of 8) in float, then checked with 10 entries per parameter chosen with seed 3.
/// </summary>
/// <remarks>
/// The networks: an activation sits in the test's hidden layer, <c>5 → Dense(7, tanh) → Dense(6, activation) → Dense(3)</c>;
/// a layer follows the first dense layer, <c>5 → Dense(7, tanh) → layer → Dense(3)</c> (dropout at the test's rate 0.4);
/// a loss ends <c>5 → Dense(7, tanh) → Dense(k)</c>: the regression losses on targets drawn uniformly from [−1, 1)
/// by the same generator after the inputs, the weighted cross-entropy on the labels of four classes with the class
/// weights of the PyTorch fixture. The check runs on a float64 copy in training mode and reports, per entry,
/// <c>|a − n| / max(|a| + |n|, 1e-4)</c>.
/// </remarks>
internal static class ComponentGradientChecks
{
    private const int Samples = 16;
    private const int Inputs = 5;

    /// <summary>The largest relative error over the network's layers, with an activation in its hidden layer.</summary>
    public static double ForActivation(Activation activation) =>
        Check(builder => builder.Dense(6, activation), Loss.SoftmaxCrossEntropy, outputs: 3, regression: false);

    /// <summary>The same with a layer after the first dense layer.</summary>
    public static double ForLayer(Func<NetworkBuilder<float>, NetworkBuilder<float>> layer) =>
        Check(layer, Loss.SoftmaxCrossEntropy, outputs: 3, regression: false);

    /// <summary>The same for a network trained with <paramref name="loss"/>.</summary>
    public static double ForLoss(Loss loss, int outputs, bool regression) => Check(builder => builder, loss, outputs, regression);

    private static double Check(Func<NetworkBuilder<float>, NetworkBuilder<float>> middle, Loss loss, int outputs, bool regression)
    {
        var random = new Random(9);
        Matrix<float> x = Uniform(random, Samples, Inputs);
        int[] labels = [.. Enumerable.Range(0, Samples).Select(i => i % outputs)];
        Matrix<float> targets = regression
            ? Uniform(random, Samples, outputs)
            : Matrix<float>.Build.Dense(Samples, outputs, (i, j) => labels[i] == j ? 1f : 0f);
        Network<float> network = middle(Network.Sequential(Inputs).Dense(7, NeuralNet.Activations.Activation.Tanh)).Dense(outputs).Build(loss, seed: 4);
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(8) };
        if (regression)
        {
            network.Fit(x, targets, options);
        }
        else
        {
            network.Fit(x, labels, options);
        }

        return NetworkHealth.CheckGradients(network, x, targets, entriesPerParameter: 10, seed: 3).MaxRelativeError;
    }

    /// <summary>Uniform draws from [−1, 1), column by column, in double rounded to float: TestData.RandomMatrix's draws.</summary>
    private static Matrix<float> Uniform(Random random, int rows, int columns) =>
        Matrix<float>.Build.Dense(rows, columns, (_, _) => (float)((2 * random.NextDouble()) - 1));
}
