using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Layers know their modes: training runs every layer in training mode, predictions and validation in inference mode,
/// and what a layer draws at random in training mode comes from the training's seeded generator, so runs repeat and
/// checkpoints resume exactly.
/// </summary>
public class LayerModeTests
{
    public LayerModeTests() => TestComponents.Register();

    [Fact]
    public void Fit_runs_training_mode_and_predict_and_validation_run_inference_mode()
    {
        (Matrix<double> x, Matrix<double> y) = Data(1);
        Network<double> network = Build(sigma: 0.1);
        var noise = (TestComponents.Noise<double>)network.Layers[1];

        network.Fit(x, y, new TrainingOptions { Epochs = 2, GradientDescent = new MiniBatchGradientDescent(5), Seed = 1 });

        noise.TrainingPasses.Should().Be(2 * 4, "20 samples in batches of 5, two epochs: one training-mode pass per update");
        noise.InferencePasses.Should().Be(0);

        network.Predict(x);
        network.Fit(x, y, new TrainingOptions { Epochs = 3, ValidationFraction = 0.25, GradientDescent = new BatchGradientDescent(), Seed = 1 });

        noise.InferencePasses.Should().Be(1 + 3, "one prediction, then one validation per epoch");
        noise.TrainingPasses.Should().Be(8 + 3);
    }

    [Fact]
    public void Inference_is_deterministic_while_training_mode_draws_noise()
    {
        (Matrix<double> x, _) = Data(2);
        Network<double> network = Build(sigma: 0.5);

        network.Predict(x).Should().Be(network.Predict(x), "inference mode adds no noise");
        var layer = (TestComponents.Noise<double>)network.Layers[1];
        Matrix<double> ones = Matrix<double>.Build.Dense(20, 4, 1.0);
        Matrix<double> first = layer.Forward(ones).Clone();
        Matrix<double> second = layer.Forward(ones).Clone();
        first.Should().NotBe(second, "training mode draws afresh on every pass");
        layer.Infer(ones).Should().Be(ones, "inference mode is the identity");
    }

    [Fact]
    public void What_layers_draw_in_training_mode_follows_the_seed_so_runs_repeat_bit_for_bit()
    {
        (Matrix<double> x, Matrix<double> y) = Data(3);
        var options = new TrainingOptions { Epochs = 4, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(4), Seed = 7 };

        Network<double> a = Build(sigma: 0.3);
        Network<double> b = Build(sigma: 0.3);
        Network<double> c = Build(sigma: 0.3);
        a.Fit(x, y, options);
        b.Fit(x, y, options);
        c.Fit(x, y, options with { Seed = 8 });

        Weights(b).Should().Equal(Weights(a));
        Weights(c).Should().NotEqual(Weights(a), "another seed draws other noise");
    }

    [Fact]
    public void A_checkpoint_resumes_what_layers_draw_exactly()
    {
        (Matrix<double> x, Matrix<double> y) = Data(4);
        string path = Path.Combine(Path.GetTempPath(), $"nn-noise-{Guid.NewGuid():N}.ckpt");
        try
        {
            var options = new TrainingOptions { Epochs = 5, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(6), Seed = 9 };
            Network<double> reference = Build(sigma: 0.3);
            reference.Fit(x, y, options);

            Build(sigma: 0.3).Fit(x, y, options with { Epochs = 2, Checkpoint = new CheckpointOptions(path) });
            TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
            checkpoint.Resume(x, y, options);

            Weights(checkpoint.Network).Should().Equal(Weights(reference));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Network<double> Build(double sigma)
        => Network.Sequential<double>(3).Dense(4).Add(n => new TestComponents.Noise<double>(n, sigma)).Dense(2).Build(Loss.MeanSquaredError, seed: 5);

    private static (Matrix<double> X, Matrix<double> Y) Data(int seed)
    {
        var random = new Random(seed);
        Matrix<double> x = TestData.RandomMatrix(random, 20, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(20, 2, (i, j) => x[i, j] - (0.5 * x[i, 2]));
        return (x, y);
    }

    private static double[] Weights(Network<double> network) => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];
}
