using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A learning rate that makes training blow up stops it with TrainingDivergedException, naming the epoch, the step and
/// the layer, and leaves the network with the finite weights it had at the start of that epoch.
/// </summary>
public class DivergenceTests
{
    public static TheoryData<string, double> Rules() => new()
    {
        { "plain", 1e4 },
        { "momentum", 1e3 },
        { "adam", 1e200 },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_diverging_run_stops_with_a_dedicated_exception_and_keeps_the_last_finite_weights(string rule, double learningRate)
    {
        (Matrix<double> x, Matrix<double> y) = Regression();
        Network<double> network = NewNetwork();

        Action fit = () => network.Fit(x, y, Options(rule, learningRate, epochs: 50));

        TrainingDivergedException diverged = fit.Should().ThrowExactly<TrainingDivergedException>().Which;
        diverged.Message.Should().Match($"Training diverged in epoch {diverged.Epoch}, step {diverged.Step}*layer {diverged.Layer} (Dense*");
        diverged.Epoch.Should().BeInRange(1, 50);
        diverged.Step.Should().BeInRange(1, 5);
        diverged.Layer.Should().BeInRange(0, 1);

        double[] kept = Weights(network);
        kept.Should().OnlyContain(w => double.IsFinite(w));

        // The weights kept are those after the last whole epoch before the divergence: a twin trained for exactly
        // that many epochs with the same settings ends with the same bits.
        Network<double> twin = NewNetwork();
        if (diverged.Epoch > 1)
        {
            twin.Fit(x, y, Options(rule, learningRate, epochs: diverged.Epoch - 1));
        }

        kept.Should().Equal(Weights(twin));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("momentum")]
    public void An_update_that_overflows_the_weights_while_the_loss_is_finite_is_caught_in_the_last_step_of_the_last_epoch(string rule)
    {
        // One epoch of batch descent is one step: its loss (before the update) is finite, and the update, a step of
        // 1e308 times a gradient in the hundreds, overflows the weights. Nothing after it would see the damage.
        (Matrix<double> x, Matrix<double> y) = Regression();
        y.MapInplace(v => v * 1000);
        Network<double> network = NewNetwork();
        double[] initial = Weights(network);
        string path = Path.Combine(Path.GetTempPath(), $"nn-diverged-{Guid.NewGuid():N}.ckpt");
        var options = new TrainingOptions
        {
            Epochs = 1,
            LearningRate = 1e308,
            GradientDescent = new BatchGradientDescent(),
            UpdateRule = rule == "plain" ? new Plain() : new Momentum(),
            Checkpoint = new CheckpointOptions(path),
        };

        Action fit = () => network.Fit(x, y, options);

        TrainingDivergedException diverged = fit.Should().ThrowExactly<TrainingDivergedException>().Which;
        diverged.Epoch.Should().Be(1);
        diverged.Step.Should().Be(1);
        diverged.Message.Should().Match("*epoch 1, step 1*weights of layer*are not finite, although every loss in the epoch was*");
        Weights(network).Should().Equal(initial, "the network keeps the weights it had at the start of the epoch");
        File.Exists(path).Should().BeFalse("no checkpoint of non-finite weights may be written");
    }

    [Fact]
    public void A_diverging_run_leaves_the_last_good_checkpoint_as_it_was()
    {
        (Matrix<double> x, Matrix<double> y) = Regression();
        string path = Path.Combine(Path.GetTempPath(), $"nn-diverged-{Guid.NewGuid():N}.ckpt");
        try
        {
            Network<double> network = NewNetwork();
            network.Fit(x, y, Options("plain", 0.05, epochs: 2) with { Checkpoint = new CheckpointOptions(path) });
            byte[] good = File.ReadAllBytes(path);

            y.MapInplace(v => v * 1000);
            Action fit = () => network.Fit(x, y, Options("plain", 1e308, epochs: 3) with { GradientDescent = new BatchGradientDescent(), Checkpoint = new CheckpointOptions(path) });

            fit.Should().Throw<TrainingDivergedException>();
            File.ReadAllBytes(path).Should().Equal(good);
            Weights(TrainingCheckpoint.Load<double>(path).Network).Should().OnlyContain(w => double.IsFinite(w));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_sensible_learning_rate_trains_without_any_divergence()
    {
        (Matrix<double> x, Matrix<double> y) = Regression();
        Network<double> network = NewNetwork();

        TrainingHistory history = network.Fit(x, y, Options("plain", 0.05, epochs: 50));

        history.Epochs.Should().HaveCount(50);
        history.FinalLoss.Should().BeLessThan(history.Epochs[0].Loss);
    }

    private static Network<double> NewNetwork()
        => Network.Sequential<double>(3).Dense(8, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 4);

    private static TrainingOptions Options(string rule, double learningRate, int epochs) => new()
    {
        Epochs = epochs,
        LearningRate = learningRate,
        GradientDescent = new MiniBatchGradientDescent(4),
        UpdateRule = Named.Rule(rule),
        Seed = 6,
    };

    private static (Matrix<double> X, Matrix<double> Y) Regression()
    {
        var random = new Random(21);
        Matrix<double> x = TestData.RandomMatrix(random, 20, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(20, 1, (i, _) => (3 * x[i, 0]) - x[i, 1] + (0.5 * x[i, 2]));
        return (x, y);
    }

    private static double[] Weights(Network<double> network) => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];
}
