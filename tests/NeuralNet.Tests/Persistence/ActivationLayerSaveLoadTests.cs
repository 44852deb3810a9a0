using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Networks with activation layers after batch and layer normalisation (PyTorch's Linear → BatchNorm1d → ReLU and
/// Linear → LayerNorm → GELU) save and load and predict bit for bit the same; an interrupted training resumes from its
/// checkpoint bit for bit.
/// </summary>
public sealed class ActivationLayerSaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-activation-layers-").FullName;

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

    private static Network<T> Build<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(4)
            .Dense(6)
            .BatchNormalization()
            .Activation(Activation.Relu)
            .Dropout(0.3)
            .Dense(5)
            .LayerNormalization()
            .Activation(Activation.Gelu)
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed);

    private static (Matrix<T> Inputs, int[] Labels) Data<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => (TestData.RandomMatrix<T>(new Random(77), 24, 4, limit: 2), [.. Enumerable.Range(0, 24).Select(i => i % 3)]);

    private static void RoundTrip<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> original = Build<T>(seed: 31);
        (Matrix<T> inputs, int[] labels) = Data<T>();
        original.Fit(inputs, labels, new TrainingOptions { Epochs = 3, GradientDescent = new MiniBatchGradientDescent(6), Seed = 2, UpdateRule = new Adam() });
        var norm = (BatchNormalization<T>)original.Layers[1];
        original.Layers.Select(l => l.Name).Should().Equal("dense", "batch_normalization", "activation", "dropout", "dense", "layer_normalization", "activation", "dense");
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
        loaded.Layers[2].Should().BeOfType<ActivationLayer<T>>().Which.Activation.Name.Should().Be("relu");
        loaded.Layers[6].Should().BeOfType<ActivationLayer<T>>().Which.Activation.Name.Should().Be("gelu");
        Bits(loaded.Predict(inputs)).Should().Equal(Bits(original.Predict(inputs)), "predictions are bit-identical");
    }

    private void InterruptAndResume<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Matrix<T> inputs, int[] labels) = Data<T>();
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(8), UpdateRule = new Adam(), Seed = 4 };

        Network<T> reference = Build<T>(seed: 5);
        reference.Fit(inputs, labels, options);

        string path = Path.Combine(_directory, $"activation-layers-{typeof(T).Name}.ckpt");
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
