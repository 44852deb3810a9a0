using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// L2 weight decay: each update uses <c>g + λW</c> for weight matrices and plain <c>g</c> for biases. One batch
/// step with the plain rule makes the update <c>η(g + λW)</c> directly visible.
/// </summary>
public class WeightDecayTests
{
    private static TrainingOptions OneBatchStep(double rate, double decay) => new()
    {
        Epochs = 1,
        LearningRate = rate,
        WeightDecay = decay,
        GradientDescent = new BatchGradientDescent(),
    };

    [Fact]
    public void One_batch_step_moves_weights_by_rate_times_gradient_plus_decay_and_biases_without_decay()
    {
        const double rate = 0.1;
        const double decay = 0.5;
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 0 }, { 0, 1, -1 }, { 2, 0, 1 }, { -1, 1, 1 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { 2, -1 }, { 0.5, 0.5 } });
        var w = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.2, -0.3 }, { 0.5, 0.1 }, { -0.4, 0.6 } });
        var b = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.3, -0.2 } });
        Network<double> network = Network.Sequential<double>(3).Dense(2).Build(Loss.MeanSquaredError);
        var layer = (Dense<double>)network.Layers[0];
        w.CopyTo(layer.Weights.Value);
        b.CopyTo(layer.Biases.Value);

        TrainingHistory history = network.Fit(x, y, OneBatchStep(rate, decay));

        // By hand for L = (1/m)·Σ½(z − y)²: dZ = (XW + b − Y)/m, dW = XᵀdZ, db = the column sums of dZ.
        int m = x.RowCount;
        Matrix<double> z = (x * w) + Matrix<double>.Build.Dense(m, 2, (_, j) => b[0, j]);
        Matrix<double> dz = (z - y) / m;
        Matrix<double> dw = x.TransposeThisAndMultiply(dz);
        Matrix<double> db = Matrix<double>.Build.Dense(1, 2, (_, j) => dz.Column(j).Sum());
        Matrix<double> expectedW = w - (rate * (dw + (decay * w)));
        Matrix<double> expectedB = b - (rate * db);
        double expectedLoss = 0.5 * (z - y).PointwisePower(2).RowSums().Sum() / m;

        layer.Weights.Value.ToColumnMajorArray().Should().Equal(expectedW.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) < 1e-14);
        layer.Biases.Value.ToColumnMajorArray().Should().Equal(expectedB.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) < 1e-14);
        history.Epochs[0].Loss.Should().BeApproximately(expectedLoss, 1e-14, "the recorded loss leaves out the ½λ‖W‖² penalty");
    }

    [Fact]
    public void In_a_deeper_network_every_weight_matrix_decays_and_no_bias_does()
    {
        const double rate = 0.05;
        const double decay = 0.3;
        var random = new Random(701);
        Matrix<double> x = TestData.RandomMatrix(random, 6, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(6, 2, (_, _) => random.NextDouble());
        Network<double> Twin()
        {
            Network<double> net = Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 9);
            foreach (Parameter<double> bias in net.Parameters.Where(p => p.Name == "biases"))
            {
                // Non-zero biases, so that decaying them would show.
                bias.Value.MapInplace(_ => random.NextDouble() - 0.5);
            }

            return net;
        }

        Network<double> network = Twin();
        Network<double> reference = Twin();
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            network.Parameters[p].Value.CopyTo(reference.Parameters[p].Value);
        }

        // The gradient without decay comes from the reference's own backward pass.
        reference.Backpropagate(x, y);
        network.Fit(x, y, OneBatchStep(rate, decay));

        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Parameter<double> before = reference.Parameters[p];
            bool isWeight = before.Name == "weights";
            Matrix<double> step = isWeight ? before.Gradient + (decay * before.Value) : before.Gradient;
            Matrix<double> expected = before.Value - (rate * step);
            network.Parameters[p].Value.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) < 1e-14, $"parameter {p} is {before}");
        }
    }

    [Fact]
    public void A_larger_decay_ends_with_smaller_weights()
    {
        var random = new Random(702);
        Matrix<double> x = TestData.RandomMatrix(random, 30, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(30, 1, (i, _) => (2 * x[i, 0]) - (3 * x[i, 1]) + x[i, 2] + (0.1 * (random.NextDouble() - 0.5)));

        double WeightNorm(double decay)
        {
            Network<double> network = Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 5);
            network.Fit(x, y, new TrainingOptions { Epochs = 200, LearningRate = 0.1, WeightDecay = decay, GradientDescent = new BatchGradientDescent() });
            return Math.Sqrt(network.Parameters.Where(p => p.Name == "weights").Sum(p => p.Value.FrobeniusNorm() * p.Value.FrobeniusNorm()));
        }

        double[] norms = [WeightNorm(0), WeightNorm(0.01), WeightNorm(0.1), WeightNorm(0.5)];

        norms.Should().BeInDescendingOrder().And.OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(-0.1, "-0.1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void A_negative_or_non_finite_decay_is_rejected(double decay, string shown)
    {
        Network<double> network = Network.Sequential<double>(2).Dense(1).Build(Loss.MeanSquaredError);
        Matrix<double> inputs = Matrix<double>.Build.Dense(3, 2, 1.0);
        Matrix<double> targets = Matrix<double>.Build.Dense(3, 1, 0.5);
        double[] before = network.Parameters[0].Value.ToColumnMajorArray();

        Action act = () => network.Fit(inputs, targets, new TrainingOptions { WeightDecay = decay });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*WeightDecay must be in [0, *), but got {shown}*")
            .And.ParamName.Should().Be("WeightDecay");
        network.Parameters[0].Value.ToColumnMajorArray().Should().Equal(before);
    }
}
