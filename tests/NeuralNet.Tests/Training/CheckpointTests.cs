using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Resumable checkpoints. The promise is exact: a run interrupted after epoch k and resumed from its checkpoint
/// ends with the same bits in every parameter as a run that never stopped, and with the same history. The
/// reference run in each test is the same options on a twin network (same seed) trained without interruption.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    // In the early-stopping scenario below the best epoch is 12 and the stop comes at 16, in both precisions.
    private const int InterruptionPoint = 14;

    private readonly string _directory = Directory.CreateTempSubdirectory("nn-checkpoint-tests-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string PathFor(string name) => Path.Combine(_directory, name);

    /// <summary>Three overlapping Gaussian blobs in three dimensions, so training keeps moving for many epochs.</summary>
    private static Dataset<T> Blobs<T>(int seed, int perClass)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] labels = TestData.Grouped(perClass, perClass, perClass);
        Matrix<T> features = TestData.Blobs<T>(new Random(seed), [[1, 0, -1], [-1, 1, 0], [0, -1, 1]], labels, spread: 1, DrawOrder.SampleBySample);
        return Dataset.ForClassification(features, labels, 3);
    }

    private static Network<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(3).Dense(6, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 11);

    /// <summary>Every parameter as the bit patterns of its values (widened to double, which keeps every float's bits distinct).</summary>
    private static long[][] Bits<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. network.Parameters.Select(p => p.Value.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v))).ToArray())];

    private static void ShouldHaveIdenticalParameters<T>(Network<T> actual, Network<T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long[][] a = Bits(actual);
        long[][] e = Bits(expected);
        a.Should().HaveSameCount(e);
        for (int p = 0; p < e.Length; p++)
        {
            a[p].Should().Equal(e[p], because: $"parameter {p} ({expected.Parameters[p]}) must be bit-identical");
        }
    }

    /// <summary>The records without their wall-clock times, which are the only part allowed to differ.</summary>
    private static EpochRecord[] Timeless(TrainingHistory history) => [.. history.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero })];

    /// <summary>
    /// Trains a twin without interruption, then trains another twin that checkpoints every epoch and is cancelled
    /// right after epoch <paramref name="interruptAfter"/>, loads the checkpoint and resumes with the same options.
    /// </summary>
    private (TrainingHistory Full, TrainingHistory Resumed) InterruptAndResume<T>(
        TrainingOptions options, Func<UpdateRule> rule, int interruptAfter, bool validate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> train = Blobs<T>(seed: 401, perClass: 14);
        Dataset<T>? validation = validate ? Blobs<T>(seed: 402, perClass: 6) : null;

        Network<T> reference = Build<T>();
        TrainingHistory full = reference.Fit(train, options with { UpdateRule = rule() }, validation);

        string path = PathFor($"interrupted-{typeof(T).Name}.ckpt");
        using var cancel = new CancellationTokenSource();
        var interrupting = options with
        {
            UpdateRule = rule(),
            Checkpoint = new CheckpointOptions(path),
            Progress = new Callback<EpochRecord>(r =>
            {
                if (r.Epoch == interruptAfter)
                {
                    cancel.Cancel();
                }
            }),
        };
        Network<T> interrupted = Build<T>();
        Action first = () => interrupted.Fit(train, interrupting, validation, cancel.Token);
        first.Should().Throw<OperationCanceledException>();

        TrainingCheckpoint<T> checkpoint = TrainingCheckpoint.Load<T>(path);
        checkpoint.CompletedEpochs.Should().Be(interruptAfter);
        checkpoint.History.Select(r => r.Epoch).Should().Equal(Enumerable.Range(1, interruptAfter));
        TrainingHistory resumed = checkpoint.Resume(train, options with { UpdateRule = rule() }, validation);

        ShouldHaveIdenticalParameters(checkpoint.Network, reference);
        return (full, resumed);
    }

    // Every descent resumes bit-identically: each epoch shuffles the identity afresh with the training's generator,
    // whose state the checkpoint holds. These tests cover what is restored: the weights, the rule's state, the
    // generator, the schedule, the history and the early-stopping tracker.
    [Theory]
    [InlineData(false, "bgd")]
    [InlineData(true, "bgd")]
    [InlineData(false, "mbgd")]
    [InlineData(true, "mbgd")]
    [InlineData(false, "sgd")]
    [InlineData(true, "sgd")]
    public void Resuming_Adam_training_gives_bit_identical_weights_and_history(bool useFloat, string descent)
    {
        var options = new TrainingOptions { Epochs = 8, LearningRate = 0.05, GradientDescent = Named.Descent(descent, miniBatchSize: 7), Seed = 5 };

        (TrainingHistory full, TrainingHistory resumed) = useFloat
            ? InterruptAndResume<float>(options, () => new Adam(), interruptAfter: 5, validate: true)
            : InterruptAndResume<double>(options, () => new Adam(), interruptAfter: 3, validate: true);

        resumed.Epochs.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4, 5, 6, 7, 8);
        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resuming_momentum_training_on_a_cosine_schedule_gives_bit_identical_weights(bool useFloat)
    {
        // The cosine rate depends on the run's total epochs, so the resumed epochs must use the same curve.
        var options = new TrainingOptions
        {
            Epochs = 6,
            LearningRate = 0.1,
            GradientDescent = new BatchGradientDescent(),
            Schedule = LearningRateSchedule.Cosine(0.01),
            WeightDecay = 0.01,
        };

        (TrainingHistory full, TrainingHistory resumed) = useFloat
            ? InterruptAndResume<float>(options, () => new Momentum(0.9), interruptAfter: 2, validate: false)
            : InterruptAndResume<double>(options, () => new Momentum(0.9), interruptAfter: 4, validate: false);

        Timeless(resumed).Should().Equal(Timeless(full));
        resumed.Epochs.Select(r => r.LearningRate).Should().OnlyHaveUniqueItems();
    }

    // AdamW's moments, the clipping (no state, but it must stay on), the warm-up (a function of the epoch) and the
    // plateau tracker (rebuilt from the history) all carry over: interrupted after epoch 4, the tracker has counted one
    // epoch without improvement since the reduction after epoch 3, so the resumed run must reduce again after epoch 5.
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Resuming_AdamW_with_clipping_warm_up_and_reduce_on_plateau_gives_bit_identical_weights_and_history(bool useFloat, bool byValue)
    {
        var options = new TrainingOptions
        {
            Epochs = 8,
            LearningRate = 0.05,
            GradientDescent = new MiniBatchGradientDescent(7),
            Seed = 9,
            Schedule = LearningRateSchedule.Constant.WithWarmup(2),
            ClipGradientNorm = byValue ? null : 0.5,
            ClipGradientValue = byValue ? 0.05 : null,
            ReduceOnPlateau = new ReduceOnPlateau(factor: 0.5, patience: 2, minimumImprovement: 1e9),
        };

        (TrainingHistory full, TrainingHistory resumed) = useFloat
            ? InterruptAndResume<float>(options, () => new AdamW(weightDecay: 0.1), interruptAfter: 4, validate: true)
            : InterruptAndResume<double>(options, () => new AdamW(weightDecay: 0.1), interruptAfter: 4, validate: true);

        full.Epochs.Select(r => r.LearningRate).Should().Equal([0.025, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625]);
        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resuming_with_validation_and_early_stopping_gives_bit_identical_weights_and_history(bool useFloat)
    {
        // A high rate with Adam makes the validation loss bottom out and rise, so early stopping has work to do;
        // the interruption comes after the best epoch and before the stop, so the tracker's count must carry over.
        var options = new TrainingOptions
        {
            Epochs = 60,
            LearningRate = 0.3,
            GradientDescent = new BatchGradientDescent(),
            EarlyStopping = new EarlyStopping(patience: 4, restoreBestWeights: true),
        };

        (TrainingHistory full, TrainingHistory resumed) = useFloat
            ? InterruptAndResume<float>(options, () => new Adam(), interruptAfter: InterruptionPoint, validate: true)
            : InterruptAndResume<double>(options, () => new Adam(), interruptAfter: InterruptionPoint, validate: true);

        full.StoppedEarly.Should().BeTrue("the scenario is built so that early stopping ends the run");
        full.BestEpoch.Should().BeLessThan(InterruptionPoint, "the interruption falls in the patience window");
        full.Epochs.Count.Should().BeGreaterThan(InterruptionPoint, "the interruption must come before the stop");
        Timeless(resumed).Should().Equal(Timeless(full));
        resumed.BestEpoch.Should().Be(full.BestEpoch);
        resumed.StoppedEarly.Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_run_of_k_epochs_resumed_to_n_epochs_matches_a_run_of_n_epochs(bool miniBatches)
    {
        // The checkpoint written at the end of a shorter run (constant schedule) is a valid starting point too,
        // with or without reshuffling.
        Dataset<double> train = Blobs<double>(seed: 411, perClass: 12);
        GradientDescent descent = miniBatches ? new MiniBatchGradientDescent(5) : new BatchGradientDescent();
        var options = new TrainingOptions { Epochs = 7, LearningRate = 0.02, GradientDescent = descent, Seed = 3 };
        Network<double> reference = Build<double>();
        TrainingHistory full = reference.Fit(train, options with { UpdateRule = new Adam() });

        string path = PathFor("short-run.ckpt");
        Network<double> shortRun = Build<double>();
        shortRun.Fit(train, options with { Epochs = 4, UpdateRule = new Adam(), Checkpoint = new CheckpointOptions(path, everyEpochs: 2) });
        TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
        checkpoint.CompletedEpochs.Should().Be(4);
        TrainingHistory resumed = checkpoint.Resume(train, options with { UpdateRule = new Adam() });

        ShouldHaveIdenticalParameters(checkpoint.Network, reference);
        resumed.Epochs.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void A_checkpoint_is_written_every_so_many_epochs_and_after_the_last()
    {
        // The file is replaced in place, so a copy taken when epoch 3 is reported (saving comes before reporting)
        // shows what was written then; the file left at the end is the one from the last epoch, 5.
        Dataset<double> train = Blobs<double>(seed: 421, perClass: 8);
        string path = PathFor("every-three.ckpt");
        string copy = PathFor("at-epoch-3.ckpt");
        var options = new TrainingOptions { LearningRate = 0.05, GradientDescent = new BatchGradientDescent() };
        Network<double> threeEpochs = Build<double>();
        threeEpochs.Fit(train, options with { Epochs = 3, UpdateRule = new Momentum(0.5) });
        var written = new List<int>();

        Network<double> checkpointed = Build<double>();
        checkpointed.Fit(train, options with
        {
            Epochs = 5,
            UpdateRule = new Momentum(0.5),
            Checkpoint = new CheckpointOptions(path, everyEpochs: 3),
            Progress = new Callback<EpochRecord>(r =>
            {
                if (File.Exists(path))
                {
                    written.Add(TrainingCheckpoint.Load<double>(path).CompletedEpochs);
                }

                if (r.Epoch == 3)
                {
                    File.Copy(path, copy);
                }
            }),
        });

        written.Should().Equal(3, 3, 5);
        TrainingCheckpoint<double> atThree = TrainingCheckpoint.Load<double>(copy);
        atThree.CompletedEpochs.Should().Be(3);
        ShouldHaveIdenticalParameters(atThree.Network, threeEpochs);
        TrainingCheckpoint<double> atEnd = TrainingCheckpoint.Load<double>(path);
        atEnd.CompletedEpochs.Should().Be(5);
        ShouldHaveIdenticalParameters(atEnd.Network, checkpointed);

        // Loaded as a plain model, a checkpoint gives its network.
        ShouldHaveIdenticalParameters(Network.Load<double>(path), checkpointed);
    }

    [Fact]
    public void Resuming_with_a_different_update_rule_throws()
    {
        Dataset<double> train = Blobs<double>(seed: 431, perClass: 6);
        string path = PathFor("adam.ckpt");
        Network<double> network = Build<double>();
        network.Fit(train, new TrainingOptions { Epochs = 2, UpdateRule = new Adam(), Checkpoint = new CheckpointOptions(path) });

        Action otherKind = () => TrainingCheckpoint.Load<double>(path).Resume(train, new TrainingOptions { Epochs = 4, UpdateRule = new Momentum(0.9) });
        Action otherSettings = () => TrainingCheckpoint.Load<double>(path).Resume(train, new TrainingOptions { Epochs = 4, UpdateRule = new Adam(beta1: 0.8) });

        otherKind.Should().Throw<ArgumentException>().WithMessage("*adam(beta1=0.9, beta2=0.999, epsilon=1E-08)*momentum(0.9)*");
        otherSettings.Should().Throw<ArgumentException>().WithMessage("*adam(beta1=0.9, beta2=0.999*adam(beta1=0.8*");
    }

    [Fact]
    public void Loading_a_plain_model_file_as_a_checkpoint_throws()
    {
        string path = PathFor("plain.model");
        Build<double>().Save(path);

        Action act = () => TrainingCheckpoint.Load<double>(path);

        act.Should().Throw<ModelFormatException>().WithMessage("*Expected a training checkpoint*model only*");
    }

    [Fact]
    public void Resuming_the_same_checkpoint_twice_throws()
    {
        Dataset<double> train = Blobs<double>(seed: 441, perClass: 6);
        string path = PathFor("twice.ckpt");
        var options = new TrainingOptions { Epochs = 2, UpdateRule = new Plain(), Checkpoint = new CheckpointOptions(path) };
        Build<double>().Fit(train, options);
        TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
        checkpoint.Resume(train, options with { Epochs = 3, Checkpoint = null });

        Action again = () => checkpoint.Resume(train, options with { Epochs = 4, Checkpoint = null });

        again.Should().Throw<InvalidOperationException>().WithMessage("*already been resumed*");
    }

    [Fact]
    public void Bad_checkpoint_options_throw()
    {
        Action emptyPath = () => _ = new CheckpointOptions(" ");
        Action zeroEvery = () => _ = new CheckpointOptions("x.ckpt", everyEpochs: 0);

        emptyPath.Should().Throw<ArgumentException>().And.ParamName.Should().Be("path");
        zeroEvery.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*everyEpochs must be positive, but got 0*");
    }

    [Fact]
    public void Resuming_minibatch_Adam_training_gives_bit_identical_weights_in_double()
    {
        var options = new TrainingOptions { Epochs = 8, LearningRate = 0.02, GradientDescent = new MiniBatchGradientDescent(8), Seed = 5 };

        (TrainingHistory full, TrainingHistory resumed) = InterruptAndResume<double>(options, () => new Adam(), interruptAfter: 3, validate: false);

        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void Resuming_minibatch_Adam_training_gives_bit_identical_weights_in_float()
    {
        var options = new TrainingOptions { Epochs = 8, LearningRate = 0.02, GradientDescent = new MiniBatchGradientDescent(8), Seed = 6 };

        (TrainingHistory full, TrainingHistory resumed) = InterruptAndResume<float>(options, () => new Adam(), interruptAfter: 5, validate: false);

        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void Resuming_stochastic_momentum_training_gives_bit_identical_weights_in_double()
    {
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.01, GradientDescent = new StochasticGradientDescent(), Seed = 7 };

        (TrainingHistory full, TrainingHistory resumed) = InterruptAndResume<double>(options, () => new Momentum(0.9), interruptAfter: 2, validate: false);

        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void Resuming_stochastic_momentum_training_gives_bit_identical_weights_in_float()
    {
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.01, GradientDescent = new StochasticGradientDescent(), Seed = 8 };

        (TrainingHistory full, TrainingHistory resumed) = InterruptAndResume<float>(options, () => new Momentum(0.9), interruptAfter: 4, validate: false);

        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resuming_minibatch_training_with_validation_and_early_stopping_gives_bit_identical_weights_and_history(bool useFloat)
    {
        // A high rate with Adam makes the validation loss bottom out and wobble, so early stopping has work to do;
        // the interruption comes before the stop, and patience larger than one makes the tracker's count matter.
        var options = new TrainingOptions
        {
            Epochs = 60,
            LearningRate = 0.3,
            GradientDescent = new MiniBatchGradientDescent(10),
            Seed = 10,
            EarlyStopping = new EarlyStopping(patience: 3, restoreBestWeights: true),
        };

        (TrainingHistory full, TrainingHistory resumed) = useFloat
            ? InterruptAndResume<float>(options, () => new Adam(), interruptAfter: 3, validate: true)
            : InterruptAndResume<double>(options, () => new Adam(), interruptAfter: 3, validate: true);

        full.StoppedEarly.Should().BeTrue("the scenario is built so that early stopping ends the run");
        full.Epochs.Count.Should().BeGreaterThan(4, "the interruption after epoch 3 must come before the stop");
        Timeless(resumed).Should().Equal(Timeless(full));
        resumed.BestEpoch.Should().Be(full.BestEpoch);
        resumed.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void Resuming_the_checkpoint_of_a_run_that_stopped_early_trains_no_further()
    {
        // The checkpoint written when early stopping ends a run holds the patience counter that ended it, so a
        // resumed run must stop at once rather than train another epoch.
        Dataset<double> train = Blobs<double>(seed: 401, perClass: 14);
        Dataset<double> validation = Blobs<double>(seed: 402, perClass: 6);
        string path = PathFor("stopped.ckpt");
        var options = new TrainingOptions
        {
            Epochs = 60,
            LearningRate = 0.3,
            GradientDescent = new BatchGradientDescent(),
            EarlyStopping = new EarlyStopping(patience: 4, restoreBestWeights: false),
        };
        Network<double> network = Build<double>();
        TrainingHistory full = network.Fit(train, options with { UpdateRule = new Adam(), Checkpoint = new CheckpointOptions(path) }, validation);
        full.StoppedEarly.Should().BeTrue();

        TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
        TrainingHistory resumed = checkpoint.Resume(train, options with { UpdateRule = new Adam() }, validation);

        resumed.Epochs.Should().HaveCount(full.Epochs.Count);
        resumed.StoppedEarly.Should().BeTrue();
        ShouldHaveIdenticalParameters(checkpoint.Network, network);
    }

    /// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
