using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.UpdateRules;

public class UpdateRuleConvergenceTests
{
    // The data are noise-free, so the least-squares minimum is exactly (w*, b*).
    private static readonly double[] TrueWeights = [2.0, -3.0];
    private const double TrueBias = 0.5;

    // Learning rates are each rule's comfortable range on this problem. RMSProp's step g/√s does not shrink as g
    // does: with a constant η and full batches it ends in a 2-cycle θ* ± η/2 around the minimum, so it gets
    // η = 1e-3 (error ≤ 5e-4) and enough epochs to cover the distance at about η per step.
    [Theory]
    [InlineData("plain", 0.5, 400)]
    [InlineData("momentum", 0.1, 400)]
    [InlineData("nesterov", 0.1, 400)]
    [InlineData("rmsprop", 0.001, 4000)]
    [InlineData("adam", 0.05, 400)]
    public void Every_rule_recovers_the_weights_of_a_linear_regression(string ruleName, double learningRate, int epochs)
    {
        (Matrix<double> x, Matrix<double> y) = LinearData(new Random(1234), 12);
        var dense = new Dense<double>(2, 1);
        var network = new Network<double>([dense], Loss.MeanSquaredError, seed: 7);

        network.Fit(x, y, new TrainingOptions
        {
            Epochs = epochs,
            LearningRate = learningRate,
            GradientDescent = new BatchGradientDescent(),
            UpdateRule = Named.Rule(ruleName),
        });

        double[] w = dense.Weights.Value.ToColumnMajorArray();
        double b = dense.Biases.Value[0, 0];
        w[0].Should().BeApproximately(TrueWeights[0], 1e-3);
        w[1].Should().BeApproximately(TrueWeights[1], 1e-3);
        b.Should().BeApproximately(TrueBias, 1e-3);
    }

    private static (Matrix<double> X, Matrix<double> Y) LinearData(Random random, int samples)
    {
        Matrix<double> x = TestData.RandomMatrix(random, samples, 2);
        Matrix<double> y = Matrix<double>.Build.Dense(samples, 1, (i, _) => (x[i, 0] * TrueWeights[0]) + (x[i, 1] * TrueWeights[1]) + TrueBias);
        return (x, y);
    }
}
