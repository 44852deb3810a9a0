using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

public class GradientDescentTests
{
    [Theory]
    [InlineData("bgd")]
    [InlineData("sgd")]
    [InlineData("mbgd")]
    public void Each_descent_lowers_the_loss_on_a_small_problem(string descentName)
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(42), 10);
        Network<double> network = Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 3);
        double before = network.ComputeLoss(x, y);

        TrainingHistory history = network.Fit(x, y, new TrainingOptions
        {
            Epochs = 20,
            LearningRate = 0.05,
            GradientDescent = Named.Descent(descentName, miniBatchSize: 4),
            Seed = 11,
        });

        network.ComputeLoss(x, y).Should().BeLessThan(before);
        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss);
    }

    [Theory]
    [InlineData("bgd", 10, 1)]
    [InlineData("sgd", 10, 10)]
    [InlineData("mbgd", 10, 3)] // batches of 4, 4 and the partial 2: ceil(10/4)
    [InlineData("mbgd", 8, 2)] // exact multiple: no empty trailing batch
    [InlineData("mbgd", 9, 3)] // a partial batch of a single sample
    public void Updates_per_epoch_follow_the_batch_size(string descentName, int samples, int expectedUpdates)
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(5), samples);
        Network<double> network = Network.Sequential<double>(2).Dense(1).Build(Loss.MeanSquaredError, seed: 1);

        TrainingHistory history = network.Fit(x, y, new TrainingOptions
        {
            Epochs = 3,
            LearningRate = 0.01,
            GradientDescent = Named.Descent(descentName, miniBatchSize: 4),
        });

        history.Epochs.Select(e => e.Updates).Should().Equal(expectedUpdates, expectedUpdates, expectedUpdates);
    }

    [Theory]
    [InlineData("bgd", 10, 10)]
    [InlineData("bgd", 1, 1)]
    [InlineData("sgd", 10, 1)]
    [InlineData("sgd", 1, 1)]
    [InlineData("mbgd", 10, 4)]
    [InlineData("mbgd", 3, 3)] // capped at the sample count
    [InlineData("mbgd", 4, 4)]
    public void BatchSize_is_all_one_or_the_chosen_size_capped_at_the_sample_count(string descentName, int samples, int expected)
        => Named.Descent(descentName, miniBatchSize: 4).BatchSize(samples).Should().Be(expected);

    [Fact]
    public void Only_batch_descent_keeps_the_sample_order()
    {
        new BatchGradientDescent().Shuffles.Should().BeFalse();
        new StochasticGradientDescent().Shuffles.Should().BeTrue();
        new MiniBatchGradientDescent(4).Shuffles.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void MiniBatch_rejects_a_size_that_is_not_positive(int size)
    {
        Action act = () => _ = new MiniBatchGradientDescent(size);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*must be positive, but got {size}*");
    }

    [Fact]
    public void MiniBatch_remembers_its_size()
        => new MiniBatchGradientDescent(7).Size.Should().Be(7);

    // The next tests use one-hot inputs (sample i is the unit vector eᵢ), zero weights, targets 1, MSE and
    // η = 0.5: weight wᵢ then only ever sees sample i's gradient, so each weight records which batch, and
    // which batch size, its sample was trained in, whatever order the shuffle picked.

    [Fact]
    public void Batch_descent_takes_one_step_on_the_mean_gradient_of_all_samples()
    {
        (Network<double> network, Dense<double> dense) = OneHotNetwork(5);

        network.Fit(Identity(5), Ones(5), OneEpoch(new BatchGradientDescent()));

        // Z = 0, so dL/dwᵢ = (0 − 1)/5 and dL/db = 5·(−1/5) = −1: wᵢ = 0.5/5 = 0.1, b = 0.5.
        dense.Weights.Value.ToColumnMajorArray().Should().AllSatisfy(w => w.Should().BeApproximately(0.1, 1e-15));
        dense.Biases.Value[0, 0].Should().BeApproximately(0.5, 1e-15);
    }

    [Fact]
    public void Stochastic_descent_visits_every_sample_exactly_once_per_epoch()
    {
        (Network<double> network, Dense<double> dense) = OneHotNetwork(5);

        TrainingHistory history = network.Fit(Identity(5), Ones(5), OneEpoch(new StochasticGradientDescent()));

        // The k-th sample visited sees z = b_k with b_0 = 0 and b_{k+1} = b_k + 0.5·(1 − b_k), so its weight
        // becomes 0.5·(1 − b_k) = 0.5^(k+1): one weight per halving, none zero, none repeated.
        double[] weights = dense.Weights.Value.ToColumnMajorArray();
        weights.Order().Should().Equal([0.03125, 0.0625, 0.125, 0.25, 0.5], (a, e) => Math.Abs(a - e) < 1e-15);
        dense.Biases.Value[0, 0].Should().BeApproximately(1 - 0.03125, 1e-15);
        history.Epochs[0].Updates.Should().Be(5);
    }

    [Fact]
    public void MiniBatch_trains_on_the_last_partial_batch_with_its_own_mean()
    {
        (Network<double> network, Dense<double> dense) = OneHotNetwork(5);

        TrainingHistory history = network.Fit(Identity(5), Ones(5), OneEpoch(new MiniBatchGradientDescent(4)));

        // Batch of 4: dL/dwᵢ = −1/4, dL/db = −1, so those wᵢ = 0.125 and b = 0.5.
        // Partial batch of 1: z = 0 + 0.5, dL/dw = dL/db = 0.5 − 1 = −0.5, so that w = 0.25 and b = 0.75.
        // Dropping the partial batch would leave one weight at 0; averaging it over 4 or 5 would give 0.0625 or 0.05.
        double[] weights = dense.Weights.Value.ToColumnMajorArray();
        weights.Order().Should().Equal([0.125, 0.125, 0.125, 0.125, 0.25], (a, e) => Math.Abs(a - e) < 1e-15);
        dense.Biases.Value[0, 0].Should().BeApproximately(0.75, 1e-15);
        history.Epochs[0].Updates.Should().Be(2);
    }

    [Fact]
    public void The_sample_in_the_partial_batch_changes_the_weights_compared_with_leaving_it_out()
    {
        (Network<double> network, Dense<double> dense) = OneHotNetwork(5);
        network.Fit(Identity(5), Ones(5), OneEpoch(new MiniBatchGradientDescent(4)));

        // By the hand values above, the partial batch's sample is the one whose weight reached 0.25.
        double[] weights = dense.Weights.Value.ToColumnMajorArray();
        int partial = Array.FindIndex(weights, w => Math.Abs(w - 0.25) < 1e-15);
        partial.Should().BeGreaterThanOrEqualTo(0);

        (Network<double> without, Dense<double> withoutDense) = OneHotNetwork(5);
        without.Fit(Identity(5).RemoveRow(partial), Ones(4), OneEpoch(new MiniBatchGradientDescent(4)));

        // Without that sample its column is all zero, so its weight stays 0 and only one batch of 4 runs (b = 0.5).
        double[] withoutWeights = withoutDense.Weights.Value.ToColumnMajorArray();
        withoutWeights[partial].Should().Be(0.0);
        withoutWeights.Should().NotEqual(weights);
        withoutDense.Biases.Value[0, 0].Should().BeApproximately(0.5, 1e-15);
        dense.Biases.Value[0, 0].Should().BeApproximately(0.75, 1e-15);
    }

    [Fact]
    public void A_batch_larger_than_the_data_set_gives_one_full_batch_update()
    {
        (Network<double> network, Dense<double> dense) = OneHotNetwork(5);

        TrainingHistory history = network.Fit(Identity(5), Ones(5), OneEpoch(new MiniBatchGradientDescent(32)));

        // Same hand values as batch descent: one update from the mean over all 5 samples.
        history.Epochs[0].Updates.Should().Be(1);
        dense.Weights.Value.ToColumnMajorArray().Should().AllSatisfy(w => w.Should().BeApproximately(0.1, 1e-15));
        dense.Biases.Value[0, 0].Should().BeApproximately(0.5, 1e-15);
    }

    [Fact]
    public void A_batch_larger_than_the_data_set_matches_batch_descent_over_several_epochs()
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(8), 10);
        Network<double> batch = Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 4);
        Network<double> oversized = Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 4);

        batch.Fit(x, y, new TrainingOptions { Epochs = 5, LearningRate = 0.1, GradientDescent = new BatchGradientDescent() });
        oversized.Fit(x, y, new TrainingOptions { Epochs = 5, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(100), Seed = 17 });

        // A batch of every sample has the same gradient in any order, so it is not shuffled (nor copied): the sums run
        // in the same order as batch descent's, and the weights agree bit for bit.
        for (int p = 0; p < batch.Parameters.Count; p++)
        {
            oversized.Parameters[p].Value.ToColumnMajorArray().Should().Equal(batch.Parameters[p].Value.ToColumnMajorArray());
        }
    }

    private static TrainingOptions OneEpoch(GradientDescent descent)
        => new() { Epochs = 1, LearningRate = 0.5, GradientDescent = descent, UpdateRule = new Plain(), Seed = 3 };

    private static (Network<double> Network, Dense<double> Dense) OneHotNetwork(int inputs)
    {
        var dense = new Dense<double>(inputs, 1, weightInitializer: Initializer.Zeros);
        return (new Network<double>([dense], Loss.MeanSquaredError, seed: 0), dense);
    }

    private static Matrix<double> Identity(int n) => Matrix<double>.Build.DenseIdentity(n);

    private static Matrix<double> Ones(int n) => Matrix<double>.Build.Dense(n, 1, 1.0);

    private static (Matrix<double> X, Matrix<double> Y) SmallRegression(Random random, int samples)
    {
        Matrix<double> x = TestData.RandomMatrix(random, samples, 2);
        Matrix<double> y = Matrix<double>.Build.Dense(samples, 1, (i, _) => Math.Sin(x[i, 0]) + (0.5 * x[i, 1]));
        return (x, y);
    }
}
