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
/// Checkpoints written within an epoch (every so many updates, or every so much time). The promise is the same as at
/// epoch ends: a run interrupted right after update k and resumed from its checkpoint ends with the same bits in
/// every parameter, and the same history, as a run that never stopped. The interruption comes from a step listener
/// that cancels the training as update k completes, so the checkpoint written after that update is the last one.
/// </summary>
public sealed class WithinEpochCheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-within-epoch-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string PathFor(string name) => Path.Combine(_directory, name);

    private static Dataset<T> Blobs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] labels = TestData.Grouped(15, 15, 15);
        Matrix<T> features = TestData.Blobs<T>(new Random(77), [[1, 0, -1], [-1, 1, 0], [0, -1, 1]], labels, spread: 1, DrawOrder.SampleBySample);
        return Dataset.ForClassification(features, labels, 3);
    }

    /// <summary>Dropout draws from the training's generator within every update, so a resume that restored it wrongly would show.</summary>
    private static Network<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(3).Dense(8, Activation.Relu).Dropout(0.25).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 3);

    private static long[] Bits<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v)))];

    private static EpochRecord[] Timeless(TrainingHistory history) => [.. history.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero })];

    private static TrainingOptions Options(string descent) => new()
    {
        Epochs = 4,
        LearningRate = 0.05,
        UpdateRule = new Adam(),
        GradientDescent = Named.Descent(descent, miniBatchSize: 7),
        Schedule = LearningRateSchedule.Cosine(0.001),
        Seed = 9,
    };

    /// <summary>Trains with <paramref name="checkpoint"/>, cancelled as the run's update <paramref name="stopAfter"/> completes; returns the checkpoint it left.</summary>
    private static TrainingCheckpoint<T> Interrupt<T>(Func<TrainingOptions, CancellationToken, TrainingHistory> fit, TrainingOptions options, CheckpointOptions checkpoint, int stopAfter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var cancel = new CancellationTokenSource();
        var listener = new StopAfterUpdates(stopAfter, cancel);
        Action interrupted = () => fit(options with { Checkpoint = checkpoint, Progress = listener }, cancel.Token);
        interrupted.Should().Throw<OperationCanceledException>();
        listener.Updates.Should().Be(stopAfter, "the run must stop right after the update the test names");
        return TrainingCheckpoint.Load<T>(checkpoint.Path);
    }

    // 45 samples in batches of 7 make 7 updates an epoch (the last of 3 samples); SGD makes 45. Stopping after update
    // 10 lands within epoch 2 for mini-batches, within epoch 1 for SGD.
    [Theory]
    [InlineData(false, "mbgd", 10, 1, 3)]
    [InlineData(true, "mbgd", 10, 1, 3)]
    [InlineData(false, "sgd", 10, 0, 10)]
    [InlineData(true, "sgd", 60, 1, 15)]
    public void Resuming_a_checkpoint_written_within_an_epoch_gives_bit_identical_weights_and_history(bool useFloat, string descent, int stopAfter, int completed, int inEpoch)
    {
        if (useFloat)
        {
            Check<float>();
        }
        else
        {
            Check<double>();
        }

        void Check<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Dataset<T> train = Blobs<T>();
            TrainingOptions options = Options(descent);
            Network<T> reference = Build<T>();
            TrainingHistory full = reference.Fit(train, options);

            Network<T> network = Build<T>();
            TrainingCheckpoint<T> checkpoint = Interrupt<T>((o, token) => network.Fit(train, o, null, token), options, new CheckpointOptions(PathFor("mem.ckpt")) { EveryUpdates = 5 }, stopAfter);
            checkpoint.CompletedEpochs.Should().Be(completed);
            checkpoint.UpdatesInEpoch.Should().Be(inEpoch);

            TrainingHistory resumed = checkpoint.Resume(train, options);

            Bits(checkpoint.Network).Should().Equal(Bits(reference));
            Timeless(resumed).Should().Equal(Timeless(full));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resuming_a_stream_from_within_an_epoch_equals_training_it_without_interruption(bool asynchronous)
    {
        Dataset<double> train = Blobs<double>();
        DataBatch<double>[] batches = [.. train.Shuffle(2).Batches(6)];
        batches.Should().HaveCount(8);
        TrainingOptions options = Options("bgd");
        Network<double> reference = Build<double>();
        TrainingHistory full = reference.Fit(batches, options);

        Network<double> network = Build<double>();
        TrainingCheckpoint<double> checkpoint = Interrupt<double>((o, token) => network.Fit(batches, o, null, token), options, new CheckpointOptions(PathFor("stream.ckpt")) { EveryUpdates = 3 }, stopAfter: 12);
        checkpoint.CompletedEpochs.Should().Be(1);
        checkpoint.UpdatesInEpoch.Should().Be(4);

        TrainingHistory resumed = asynchronous
            ? await checkpoint.ResumeAsync(Async(batches), options)
            : checkpoint.Resume(batches, options);

        Bits(checkpoint.Network).Should().Equal(Bits(reference));
        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void A_time_interval_checkpoints_within_epochs_and_resumes_bit_identically()
    {
        // One tick has always passed by the end of an update, so this interval saves after every one of them.
        Dataset<double> train = Blobs<double>();
        TrainingOptions options = Options("mbgd");
        Network<double> reference = Build<double>();
        reference.Fit(train, options);

        Network<double> network = Build<double>();
        TrainingCheckpoint<double> checkpoint = Interrupt<double>((o, token) => network.Fit(train, o, null, token), options, new CheckpointOptions(PathFor("timed.ckpt"), everyEpochs: 100) { Interval = TimeSpan.FromTicks(1) }, stopAfter: 16);
        checkpoint.CompletedEpochs.Should().Be(2);
        checkpoint.UpdatesInEpoch.Should().Be(2);
        checkpoint.Resume(train, options);

        Bits(checkpoint.Network).Should().Equal(Bits(reference));
    }

    [Fact]
    public void A_checkpoint_after_an_epochs_last_update_resumes_at_that_epochs_end()
    {
        // Update 7 is the last of epoch 1: its checkpoint is written before the epoch is validated and recorded, so the
        // resumed run passes over all seven batches and then ends the epoch.
        Dataset<double> train = Blobs<double>();
        TrainingOptions options = Options("mbgd");
        Network<double> reference = Build<double>();
        TrainingHistory full = reference.Fit(train, options);

        Network<double> network = Build<double>();
        TrainingCheckpoint<double> checkpoint = Interrupt<double>((o, token) => network.Fit(train, o, null, token), options, new CheckpointOptions(PathFor("last.ckpt"), everyEpochs: 100) { EveryUpdates = 7 }, stopAfter: 7);
        checkpoint.CompletedEpochs.Should().Be(0);
        checkpoint.UpdatesInEpoch.Should().Be(7);
        TrainingHistory resumed = checkpoint.Resume(train, options);

        Bits(checkpoint.Network).Should().Equal(Bits(reference));
        Timeless(resumed).Should().Equal(Timeless(full));
    }

    [Fact]
    public void A_checkpoint_written_at_an_epoch_end_records_no_position_within_an_epoch()
    {
        Network<double> network = Build<double>();
        network.Fit(Blobs<double>(), Options("mbgd") with { Epochs = 2, Checkpoint = new CheckpointOptions(PathFor("end.ckpt")) });
        TrainingCheckpoint<double> boundary = TrainingCheckpoint.Load<double>(PathFor("end.ckpt"));

        boundary.CompletedEpochs.Should().Be(2);
        boundary.UpdatesInEpoch.Should().Be(0);
    }

    [Fact]
    public void Resuming_within_an_epoch_on_a_stream_with_fewer_batches_throws_naming_the_counts()
    {
        Dataset<double> train = Blobs<double>();
        DataBatch<double>[] batches = [.. train.Batches(6)];
        TrainingOptions options = Options("bgd");
        Network<double> network = Build<double>();
        TrainingCheckpoint<double> checkpoint = Interrupt<double>((o, token) => network.Fit(batches, o, null, token), options, new CheckpointOptions(PathFor("short.ckpt")) { EveryUpdates = 5 }, stopAfter: 5);

        Action resume = () => checkpoint.Resume(batches.Take(3), options);

        resume.Should().Throw<ArgumentException>().WithMessage("*after 5 updates of epoch 1*gave only 3 batches*");
    }

    [Fact]
    public void Bad_within_epoch_checkpoint_options_throw_naming_the_value()
    {
        Action negative = () => _ = new CheckpointOptions("x.ckpt") { EveryUpdates = -1 };
        Action zero = () => _ = new CheckpointOptions("x.ckpt") { Interval = TimeSpan.Zero };
        Action backwards = () => _ = new CheckpointOptions("x.ckpt") { Interval = TimeSpan.FromSeconds(-1) };

        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*non-negative number of updates*got -1*");
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive time*got 00:00:00*");
        backwards.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive time*got -00:00:01*");
    }

    [Theory]
    [InlineData(0, "updates done in epoch")]
    [InlineData(1, "marker 2")]
    [InlineData(2, "correctly classified")]
    public void A_damaged_position_within_an_epoch_is_refused(int damage, string expected)
    {
        Dataset<double> train = Blobs<double>();
        Network<double> network = Build<double>();
        string path = PathFor("damaged.ckpt");
        Interrupt<double>((o, token) => network.Fit(train, o, null, token), Options("mbgd"), new CheckpointOptions(path) { EveryUpdates = 3 }, stopAfter: 3);
        byte[] bytes = File.ReadAllBytes(path);

        // The position block ends the content, before the checksum (32): marker, updates, 4 state words, loss sum,
        // samples, correct, ticks, and an empty warning (its length only). Offsets below count back from the end.
        int warning = 4;
        int marker = bytes.Length - 32 - warning - 8 - 4 - 4 - 8 - 32 - 4 - 1;
        bytes[marker].Should().Be(2, "the test must find the block where the format puts it");
        switch (damage)
        {
            case 0:
                BitConverter.GetBytes(0).CopyTo(bytes, marker + 1);
                break;
            case 1:
                bytes[marker] = 3;
                break;
            default:
                BitConverter.GetBytes(1_000_000).CopyTo(bytes, marker + 1 + 4 + 32 + 8 + 4);
                break;
        }

        ModelBytes.Rehash(bytes);
        Action load = () => TrainingCheckpoint.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<ModelFormatException>().WithMessage($"*{expected}*");
    }

    private static async IAsyncEnumerable<DataBatch<double>> Async(IEnumerable<DataBatch<double>> batches)
    {
        foreach (DataBatch<double> batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    /// <summary>Hears every update and cancels the training as update <c>stopAfter</c> of the run completes.</summary>
    private sealed class StopAfterUpdates(int stopAfter, CancellationTokenSource cancel) : IProgress<EpochRecord>, IStepProgress
    {
        public int Updates { get; private set; }

        public void Report(EpochRecord value)
        {
        }

        public void Started(int epochs)
        {
        }

        public void Stepped(int epoch, int updates, int samples, long startedTimestamp)
        {
            if (++Updates == stopAfter)
            {
                cancel.Cancel();
            }
        }
    }
}
