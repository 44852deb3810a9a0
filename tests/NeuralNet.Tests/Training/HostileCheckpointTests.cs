using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Checkpoints whose checksum a hostile writer recomputed over impossible content: a generator state xoshiro256**
/// cannot leave, counters that overflow what the API can use, non-finite weights or rule state. Each is refused when
/// the file is loaded, with <see cref="ModelFormatException"/>, rather than hanging or failing later.
/// </summary>
public class HostileCheckpointTests
{
    [Fact]
    public async Task An_all_zero_generator_state_is_refused_at_load_instead_of_hanging_the_resumed_run()
    {
        (byte[] checkpoint, int training) = Checkpoint();
        checkpoint.AsSpan(training + 4, 32).Clear();
        ModelBytes.Rehash(checkpoint);

        // Before the fix the load succeeded and Resume spun forever drawing zeros: bounded here so it fails instead.
        Task<Exception?> attempt = Task.Run(() => Record(() =>
        {
            TrainingCheckpoint<double> loaded = TrainingCheckpoint.Load<double>(new MemoryStream(checkpoint));
            loaded.Resume(Data().X, Data().Labels, Options());
        }));
        (await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(20)))).Should().BeSameAs(attempt, "loading and resuming must not hang");

        (await attempt).Should().BeOfType<ModelFormatException>().Which.Message.Should().Match("*generator state*all zero*");
    }

    [Fact]
    public void A_generator_whose_state_is_all_zero_cannot_be_made()
    {
        var random = new RandomSource(1);

        Action set = () => random.State = (0, 0, 0, 0);

        set.Should().Throw<ArgumentException>().WithMessage("*all zero*");
    }

    [Theory]
    [InlineData(int.MaxValue, "*completed epoch count in [0, 2147483646], but found 2147483647*")]
    [InlineData(3, "*3 completed epochs but its history holds 2 records*")]
    [InlineData(1, "*best epoch in [0, 1], but found 2*")]
    public void A_completed_epoch_count_that_disagrees_with_the_rest_of_the_file_is_refused(int completed, string message)
    {
        (byte[] checkpoint, int training) = Checkpoint();
        BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(training)).Should().Be(2, "the checkpoint was written after epoch 2");
        BinaryPrimitives.WriteInt32LittleEndian(checkpoint.AsSpan(training), completed);
        ModelBytes.Rehash(checkpoint);

        Action load = () => TrainingCheckpoint.Load<double>(new MemoryStream(checkpoint));

        load.Should().Throw<ModelFormatException>().WithMessage(message);
    }

    [Fact]
    public void Non_finite_best_weights_are_refused_naming_where()
    {
        (byte[] checkpoint, _) = Checkpoint();
        BinaryPrimitives.WriteDoubleLittleEndian(checkpoint.AsSpan(LastBestWeight(checkpoint)), double.NaN);
        ModelBytes.Rehash(checkpoint);

        Action load = () => TrainingCheckpoint.Load<double>(new MemoryStream(checkpoint));

        load.Should().Throw<ModelFormatException>().WithMessage("*best weights of parameter 3*not finite*NaN at index 1*");
    }

    [Fact]
    public void Non_finite_rule_state_is_refused_naming_where()
    {
        (byte[] checkpoint, int training) = Checkpoint();

        // After epochs (4), the generator (32), the rule (text "adam" and its configuration) comes the first
        // parameter's state: a flag, the step count, the buffer count, then the first moment, 12 float64.
        int rule = training + 4 + 32;
        int state = rule + 1 + "adam".Length;
        state += 1 + ("beta1".Length + 1 + 1 + 8) + ("beta2".Length + 1 + 1 + 8) + ("epsilon".Length + 1 + 1 + 8);
        checkpoint[state].Should().Be(1, "the first parameter has rule state");
        BinaryPrimitives.WriteDoubleLittleEndian(checkpoint.AsSpan(state + 1 + 8 + 1 + (5 * 8)), double.PositiveInfinity);
        ModelBytes.Rehash(checkpoint);

        Action load = () => TrainingCheckpoint.Load<double>(new MemoryStream(checkpoint));

        load.Should().Throw<ModelFormatException>().WithMessage("*update-rule state of parameter 0*not finite*Infinity at index 5*");
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>A checkpoint written after 2 of 4 epochs with Adam, early stopping and restore-best, and the offset of its training section.</summary>
    private static (byte[] Checkpoint, int TrainingOffset) Checkpoint()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nn-hostile-{Guid.NewGuid():N}.ckpt");
        try
        {
            Network<double> network = Build();
            (Matrix<double> x, int[] labels) = Data();
            network.Fit(x, labels, Options() with { Epochs = 2, Checkpoint = new CheckpointOptions(path) });
            byte[] checkpoint = File.ReadAllBytes(path);

            // The checkpoint starts as a model file of the same network does, with the kind byte set to 2.
            using var model = new MemoryStream();
            TrainingCheckpoint.Load<double>(new MemoryStream(checkpoint)).Network.Save(model);
            return (checkpoint, (int)model.Length - 32);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The offset of the last best-weight value: just before the history (int32 count, then 2 records of 56 bytes).</summary>
    // From the end: the checksum (32), the records' extras (a marker, then per record the training accuracy and an
    // empty warning: 8 + 4), the history (a count, two records of 56), then the last best weight.
    private static int LastBestWeight(byte[] checkpoint) => checkpoint.Length - 32 - (1 + (2 * 12)) - (4 + (2 * 56)) - 8;

    private static Network<double> Build() => Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 3);

    private static (Matrix<double> X, int[] Labels) Data()
    {
        var random = new Random(7);
        Matrix<double> x = TestData.RandomMatrix(random, 24, 3);
        return (x, [.. Enumerable.Range(0, 24).Select(i => x[i, 0] > 0 ? 1 : 0)]);
    }

    private static TrainingOptions Options() => new()
    {
        Epochs = 4,
        LearningRate = 0.05,
        UpdateRule = new Adam(),
        GradientDescent = new MiniBatchGradientDescent(5),
        EarlyStopping = new EarlyStopping(10, 0, restoreBestWeights: true),
        Seed = 2,
    };
}
