using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests;

/// <summary>
/// The article's first claim: XOR needs a hidden non-linearity. No affine function of (x₀, x₁) thresholded
/// at one level separates {(0,1), (1,0)} from {(0,0), (1,1)}, so without one at most 3 of the 4 points are right.
/// </summary>
public class XorTests
{
    private static readonly int[] Labels = [0, 1, 1, 0];

    [Theory]
    [MemberData(nameof(NonLinearCases))]
    public void A_hidden_nonlinear_layer_classifies_all_four_points(string activationName, string lossName, int seed)
    {
        Network<float> network = Network.Sequential(2)
            .Dense(8, Named.Activation(activationName))
            .Dense(1)
            .Build(LossOf(lossName), seed);

        TrainingHistory history = network.Fit(Points(), Labels, Options(seed));

        network.Accuracy(Points(), Labels).Should().Be(1.0);
        history.FinalLoss.Should().BeLessThan(history.Epochs[0].Loss);
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Without_a_hidden_nonlinearity_accuracy_stays_at_most_three_quarters(string architecture, string lossName, int seed)
    {
        NetworkBuilder<float> builder = Network.Sequential(2);

        // Two identity layers compose to one affine map, however many units sit in between.
        builder = architecture == "one dense" ? builder.Dense(1) : builder.Dense(8, Activation.Identity).Dense(1);
        Network<float> network = builder.Build(LossOf(lossName), seed);

        TrainingHistory history = network.Fit(Points(), Labels, Options(seed));

        network.Accuracy(Points(), Labels).Should().BeLessThanOrEqualTo(0.75);

        // The network did train (the loss fell), so the ceiling is the model's, not a stalled run's.
        history.FinalLoss.Should().BeLessThan(history.Epochs[0].Loss);
    }

    public static TheoryData<string, string, int> NonLinearCases()
    {
        var cases = new TheoryData<string, string, int>();
        foreach (string activation in new[] { "tanh", "relu" })
        {
            foreach (string loss in new[] { "bce", "mse" })
            {
                foreach (int seed in new[] { 1, 2, 3 })
                {
                    cases.Add(activation, loss, seed);
                }
            }
        }

        return cases;
    }

    public static TheoryData<string, string, int> LinearCases()
    {
        var cases = new TheoryData<string, string, int>();
        foreach (string architecture in new[] { "one dense", "two dense identity" })
        {
            foreach (string loss in new[] { "bce", "mse" })
            {
                foreach (int seed in new[] { 1, 2, 3 })
                {
                    cases.Add(architecture, loss, seed);
                }
            }
        }

        return cases;
    }

    private static Loss LossOf(string name) => Named.Loss(name == "bce" ? "sigmoid_binary_cross_entropy" : "mean_squared_error");

    private static TrainingOptions Options(int seed) => new()
    {
        Epochs = 500,
        LearningRate = 0.05,
        GradientDescent = new BatchGradientDescent(),
        UpdateRule = new Adam(),
        Seed = seed,
    };

    private static Matrix<float> Points() => Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
}
