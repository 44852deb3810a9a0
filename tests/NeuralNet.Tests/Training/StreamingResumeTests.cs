using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A streamed training interrupted after epoch k and resumed from its checkpoint (at the next epoch boundary) ends
/// with weights and history bit-identical to the uninterrupted streamed training: the update-rule state, the schedule
/// and the history go on where they stopped.
/// </summary>
public sealed class StreamingResumeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnet-stream-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (DataBatch<double>[] Batches, Dataset<double> Validation) Data()
    {
        int[] labels = TestData.Grouped(30, 30, 30);
        Matrix<double> inputs = TestData.Blobs<double>(new Random(21), [[-1, 1], [1, -1], [1, 1]], labels, spread: 1);
        Dataset<double> all = Dataset.ForClassification(inputs, labels, 3).Shuffle(4);
        (Dataset<double> train, Dataset<double> validation) = all.Split(0.2, 4, stratify: true);
        return ([.. train.Batches(8)], validation);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(6, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 12);

    private static double[] Weights(Network<double> network) => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];

    private static EpochRecord[] Timeless(TrainingHistory history) => [.. history.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero })];

    private static async IAsyncEnumerable<DataBatch<double>> Async(IEnumerable<DataBatch<double>> batches)
    {
        foreach (DataBatch<double> batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resuming_a_stream_equals_training_it_without_interruption_bit_for_bit(bool asynchronous)
    {
        (DataBatch<double>[] batches, Dataset<double> validation) = Data();
        var options = new TrainingOptions
        {
            Epochs = 7,
            LearningRate = 0.05,
            UpdateRule = new Adam(),
            Schedule = LearningRateSchedule.Cosine(0.005),
            ReduceOnPlateau = new ReduceOnPlateau(patience: 1, factor: 0.5),
        };
        Network<double> uninterrupted = Build();
        TrainingHistory full = asynchronous
            ? await uninterrupted.FitAsync(Async(batches), options, validation)
            : uninterrupted.Fit(batches, options, validation);

        string path = Path.Combine(_directory, "run.ckpt");
        using var cancellation = new CancellationTokenSource();
        TrainingOptions interrupted = options with
        {
            Checkpoint = new CheckpointOptions(path),
            OnEpoch = record =>
            {
                if (record.Epoch == 3)
                {
                    cancellation.Cancel();
                }
            },
        };
        Func<Task> first = asynchronous
            ? () => Build().FitAsync(Async(batches), interrupted, validation, cancellation.Token)
            : () => Task.FromResult(Build().Fit(batches, interrupted, validation, cancellation.Token));
        (await first.Should().ThrowAsync<TrainingCanceledException>()).Which.History.Epochs.Should().HaveCount(3);

        TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
        checkpoint.CompletedEpochs.Should().Be(3);
        TrainingHistory resumed = asynchronous
            ? await checkpoint.ResumeAsync(Async(batches), options, validation)
            : checkpoint.Resume(batches, options, validation);

        Weights(checkpoint.Network).Should().Equal(Weights(uninterrupted));
        Timeless(resumed).Should().Equal(Timeless(full));
        resumed.Epochs.Select(r => r.LearningRate).Distinct().Should().HaveCountGreaterThan(3, because: "the schedule must go on changing the rate");
    }

    [Fact]
    public async Task A_stream_resume_checks_its_arguments_and_resumes_once()
    {
        (DataBatch<double>[] batches, _) = Data();
        string path = Path.Combine(_directory, "once.ckpt");
        var options = new TrainingOptions { Epochs = 2, UpdateRule = new Momentum(0.9), Checkpoint = new CheckpointOptions(path) };
        Build().Fit(batches, options with { Epochs = 1 });
        TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);

        Action noBatches = () => checkpoint.Resume((IEnumerable<DataBatch<double>>)null!, options);
        Action otherRule = () => checkpoint.Resume(batches, options with { UpdateRule = new Adam() });
        noBatches.Should().Throw<ArgumentNullException>().WithParameterName("batches");
        otherRule.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("Expected the checkpoint's update rule *Momentum*, but the options name *Adam*");

        checkpoint.Resume(batches, options).Epochs.Should().HaveCount(2);
        Func<Task> again = () => checkpoint.ResumeAsync(Async(batches), options);
        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("*already been resumed*");
    }
}
