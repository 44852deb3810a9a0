using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// The save-and-resume scenario for a network whose layer 1 is a batch normalisation: trained, saved and loaded, it
/// keeps every layer's configuration and the running statistics and predicts bit for bit the same; an interrupted
/// training resumes from its checkpoint bit for bit. Each derived class gives the network (4 inputs, 3 classes) and
/// what else its loaded layers must show.
/// </summary>
public abstract class NormalizedNetworkSaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-normalized-layers-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_trained_network_round_trips_with_its_running_statistics_and_predicts_the_same(bool useFloat)
    {
        if (useFloat)
        {
            RoundTrip<float>();
        }
        else
        {
            RoundTrip<double>();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_resumes_from_a_checkpoint_bit_for_bit(bool useFloat)
    {
        if (useFloat)
        {
            InterruptAndResume<float>();
        }
        else
        {
            InterruptAndResume<double>();
        }
    }

    /// <summary>The network: 4 inputs, a batch normalisation as layer 1, 3 classes under softmax cross-entropy.</summary>
    protected abstract Network<T> Build<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>What the loaded network must show besides configurations, running statistics and predictions.</summary>
    protected abstract void CheckLoaded<T>(Network<T> original, Network<T> loaded)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private static (Matrix<T> Inputs, int[] Labels) Data<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => (TestData.RandomMatrix<T>(new Random(77), 24, 4, limit: 2), [.. Enumerable.Range(0, 24).Select(i => i % 3)]);

    private void RoundTrip<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> original = Build<T>(seed: 31);
        (Matrix<T> inputs, int[] labels) = Data<T>();
        original.Fit(inputs, labels, new TrainingOptions { Epochs = 3, GradientDescent = new MiniBatchGradientDescent(6), Seed = 2, UpdateRule = new Adam() });
        var norm = (BatchNormalization<T>)original.Layers[1];
        norm.RunningVariance.Should().NotEqual(Enumerable.Repeat(T.One, 6), "training moved the running statistics");

        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        Network<T> loaded = Network.Load<T>(stream);

        loaded.Layers.Select(l => l.Name).Should().Equal(original.Layers.Select(l => l.Name));
        for (int l = 0; l < original.Layers.Count; l++)
        {
            loaded.Layers[l].GetConfig().Should().Be(original.Layers[l].GetConfig(), "layer {0} keeps its configuration", l);
        }

        ((BatchNormalization<T>)loaded.Layers[1]).RunningMean.Should().Equal(norm.RunningMean);
        ((BatchNormalization<T>)loaded.Layers[1]).RunningVariance.Should().Equal(norm.RunningVariance);
        CheckLoaded(original, loaded);
        Bits(loaded.Predict(inputs)).Should().Equal(Bits(original.Predict(inputs)), "predictions are bit-identical");
    }

    private void InterruptAndResume<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Matrix<T> inputs, int[] labels) = Data<T>();
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(8), UpdateRule = new Adam(), Seed = 4 };

        Network<T> reference = Build<T>(seed: 5);
        reference.Fit(inputs, labels, options);

        string path = Path.Combine(_directory, $"layers-{typeof(T).Name}.ckpt");
        using var cancel = new CancellationTokenSource();
        Network<T> interrupted = Build<T>(seed: 5);
        Action first = () => interrupted.Fit(inputs, labels, options with
        {
            UpdateRule = new Adam(),
            Checkpoint = new CheckpointOptions(path),
            Progress = new SynchronousProgress<EpochRecord>(r =>
            {
                if (r.Epoch == 2)
                {
                    cancel.Cancel();
                }
            }),
        }, cancel.Token);
        first.Should().Throw<OperationCanceledException>();

        TrainingCheckpoint<T> checkpoint = TrainingCheckpoint.Load<T>(path);
        checkpoint.Resume(inputs, labels, options with { UpdateRule = new Adam() });

        for (int p = 0; p < reference.Parameters.Count; p++)
        {
            Bits(checkpoint.Network.Parameters[p].Value).Should().Equal(Bits(reference.Parameters[p].Value), "parameter {0} ends as in the run that never stopped", p);
        }

        var resumedNorm = (BatchNormalization<T>)checkpoint.Network.Layers[1];
        var referenceNorm = (BatchNormalization<T>)reference.Layers[1];
        resumedNorm.RunningMean.Should().Equal(referenceNorm.RunningMean, "the checkpoint keeps the running statistics");
        resumedNorm.RunningVariance.Should().Equal(referenceNorm.RunningVariance);
        Bits(checkpoint.Network.Predict(inputs)).Should().Equal(Bits(reference.Predict(inputs)));
    }

    private static long[] Bits<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. matrix.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v)))];
}
