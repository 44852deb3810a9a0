using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainingLoopTests
{
    [Theory]
    [InlineData("bgd", 1)]
    [InlineData("sgd", 7)]
    [InlineData("mbgd", 3)] // 7 samples in batches of 3: 3 + 3 + 1
    public void History_has_one_record_per_epoch_numbered_from_one(string descentName, int updatesPerEpoch)
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(77), 7);
        Network<double> network = NewNetwork();

        TrainingHistory history = network.Fit(x, y, new TrainingOptions
        {
            Epochs = 6,
            LearningRate = 0.05,
            GradientDescent = Named.Descent(descentName, miniBatchSize: 3),
            Seed = 4,
        });

        history.Epochs.Select(e => e.Epoch).Should().Equal(1, 2, 3, 4, 5, 6);
        history.Epochs.Should().AllSatisfy(e =>
        {
            e.Updates.Should().Be(updatesPerEpoch);
            double.IsFinite(e.Loss).Should().BeTrue();
            e.Loss.Should().BeGreaterThanOrEqualTo(0);
        });
        history.FinalLoss.Should().Be(history.Epochs[^1].Loss);
    }

    [Fact]
    public void Progress_receives_each_record_in_order_right_after_its_epoch()
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(78), 7);
        Network<double> network = NewNetwork();
        var progress = new RecordingProgress(() => AllValues(network));
        TrainingOptions options = new()
        {
            Epochs = 4,
            LearningRate = 0.05,
            GradientDescent = new MiniBatchGradientDescent(2),
            Seed = 13,
            Progress = progress,
        };

        TrainingHistory history = network.Fit(x, y, options);

        progress.Records.Should().Equal(history.Epochs, (reported, kept) => ReferenceEquals(reported, kept));

        // The weights seen when epoch k is reported are those of a k-epoch run with the same seeds: the
        // report comes after that epoch's updates and before the next epoch's.
        for (int k = 1; k <= options.Epochs; k++)
        {
            Network<double> reference = NewNetwork();
            reference.Fit(x, y, options with { Epochs = k, Progress = null });
            progress.Snapshots[k - 1].Should().Equal(AllValues(reference));
        }
    }

    [Fact]
    public void Batch_descent_records_the_loss_at_the_start_of_each_epoch()
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(79), 7);
        Network<double> network = NewNetwork();
        var batch = new TrainingOptions { Epochs = 1, LearningRate = 0.1, GradientDescent = new BatchGradientDescent() };

        // Three one-epoch runs against one three-epoch run from the same start: the k-th record is the loss
        // measured before the k-th update, which the one-epoch runs expose through ComputeLoss.
        var before = new List<double>();
        for (int k = 0; k < 3; k++)
        {
            before.Add(network.ComputeLoss(x, y));
            network.Fit(x, y, batch);
        }

        TrainingHistory history = NewNetwork().Fit(x, y, batch with { Epochs = 3 });

        history.Epochs.Select(e => e.Loss).Should().Equal(before, (a, e) => Math.Abs(a - e) < 1e-12);
    }

    [Fact]
    public void Stochastic_epoch_loss_is_the_mean_of_the_per_sample_losses_before_each_update()
    {
        // With one sample, SGD's only batch is that sample: its record is the full loss before the step.
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.3, -0.2 } });
        Matrix<double> y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 } });
        Network<double> network = NewNetwork();
        double before = network.ComputeLoss(x, y);

        TrainingHistory history = network.Fit(x, y, new TrainingOptions
        {
            Epochs = 1,
            LearningRate = 0.1,
            GradientDescent = new StochasticGradientDescent(),
        });

        history.Epochs[0].Loss.Should().BeApproximately(before, 1e-12);
        history.Epochs[0].Updates.Should().Be(1);
    }

    [Theory]
    [InlineData(0, 0.1, "*Epochs*positive*0*")]
    [InlineData(-2, 0.1, "*Epochs*positive*-2*")]
    [InlineData(3, 0.0, "*LearningRate*positive*0*")]
    [InlineData(3, double.NaN, "*LearningRate*positive*NaN*")]
    public void Fit_rejects_options_out_of_range_naming_them(int epochs, double learningRate, string message)
    {
        (Matrix<double> x, Matrix<double> y) = SmallRegression(new Random(80), 4);
        Network<double> network = NewNetwork();
        double[] initial = AllValues(network);

        Action act = () => network.Fit(x, y, new TrainingOptions { Epochs = epochs, LearningRate = learningRate });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
        AllValues(network).Should().Equal(initial);
    }

    private static Network<double> NewNetwork()
        => Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 6);

    private static (Matrix<double> X, Matrix<double> Y) SmallRegression(Random random, int samples)
    {
        Matrix<double> x = TestData.RandomMatrix(random, samples, 2);
        Matrix<double> y = Matrix<double>.Build.Dense(samples, 1, (i, _) => x[i, 0] * x[i, 1]);
        return (x, y);
    }

    private static double[] AllValues(Network<double> network)
        => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];

    /// <summary>Records synchronously, unlike <see cref="Progress{T}"/>, which may post to another thread.</summary>
    private sealed class RecordingProgress(Func<double[]> snapshot) : IProgress<EpochRecord>
    {
        public List<EpochRecord> Records { get; } = [];

        public List<double[]> Snapshots { get; } = [];

        public void Report(EpochRecord value)
        {
            Records.Add(value);
            Snapshots.Add(snapshot());
        }
    }
}
