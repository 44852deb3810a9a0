using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>A checkpoint keeps each record's training accuracy and data warning, and refuses a damaged block of them.</summary>
public sealed class CheckpointRecordExtrasTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nn-extras-{Guid.NewGuid():N}.ckpt");

    public void Dispose() => File.Delete(_path);

    private TrainingHistory Write()
    {
        var random = new Random(4);
        Matrix<double> x = Matrix<double>.Build.Dense(20, 2, (_, j) => random.NextDouble() * (j == 1 ? 1e4 : 1));
        int[] labels = [.. Enumerable.Range(0, 20).Select(i => x[i, 0] > 0.5 ? 1 : 0)];
        Network<double> network = Network.Sequential<double>(2).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 3);
        return network.Fit(x, labels, new TrainingOptions { Epochs = 2, LearningRate = 1e-6, Checkpoint = new CheckpointOptions(_path) });
    }

    [Fact]
    public void Accuracy_and_warning_survive_a_save_and_load()
    {
        TrainingHistory history = Write();

        TrainingCheckpoint<double> loaded = TrainingCheckpoint.Load<double>(_path);

        history.Epochs[0].Warning.Should().Contain("feature 1 varies");
        loaded.History.Select(r => (r.Accuracy, r.Warning)).Should().Equal(history.Epochs.Select(r => (r.Accuracy, r.Warning)));
    }

    [Fact]
    public void A_damaged_marker_is_refused_naming_it()
    {
        TrainingHistory history = Write();
        byte[] bytes = File.ReadAllBytes(_path);

        // From the end: the checksum (32); epoch 2's accuracy (8) and empty warning (a length of 4); epoch 1's accuracy
        // and warning (4 + its UTF-8 bytes); then the marker.
        int warning = System.Text.Encoding.UTF8.GetByteCount(history.Epochs[0].Warning!);
        int marker = bytes.Length - 32 - 12 - (12 + warning) - 1;
        bytes[marker].Should().Be(1, "the block starts with its marker");
        bytes[marker] = 7;
        ModelBytes.Rehash(bytes);

        Action load = () => TrainingCheckpoint.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<ModelFormatException>().WithMessage("*accuracy block (marker 1)*but found byte 7*");
    }
}
