using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Networks using ELU, SELU, GELU, SiLU, softplus, Huber, mean absolute error and class-weighted cross-entropy save and
/// load with every hyper-parameter and predict bit for bit the same; checkpoints of their training resume exactly.
/// </summary>
public sealed class ToolkitSaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-toolkit-saveload-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    public static TheoryData<string, bool> Activations()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "elu", "selu", "gelu", "gelu_tanh", "silu", "softplus" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    public static TheoryData<string, bool> Losses()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "huber", "mean_absolute_error", "weighted_softmax_cross_entropy" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void A_network_with_each_activation_round_trips_and_predicts_the_same(string name, bool useFloat)
    {
        Activation activation = name == "elu" ? Activation.Elu(0.3) : Named.Activation(name);
        if (useFloat)
        {
            RoundTrip<float>(activation, Loss.MeanSquaredError);
        }
        else
        {
            RoundTrip<double>(activation, Loss.MeanSquaredError);
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_network_with_each_loss_round_trips_and_predicts_the_same(string name, bool useFloat)
    {
        Loss loss = LossFor(name);
        if (useFloat)
        {
            RoundTrip<float>(Activation.Gelu, loss);
        }
        else
        {
            RoundTrip<double>(Activation.Gelu, loss);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_with_the_new_components_resumes_from_a_checkpoint_bit_for_bit(bool useFloat)
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

    private static Loss LossFor(string name) => name switch
    {
        "huber" => Loss.Huber(0.7),
        "mean_absolute_error" => Loss.MeanAbsoluteError,
        "weighted_softmax_cross_entropy" => Loss.WeightedSoftmaxCrossEntropy([0.5, 2.0, 1.25]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown loss"),
    };

    private static Network<T> Build<T>(Activation activation, Loss loss, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(4)
            .Dense(6, activation)
            .Dense(5, Activation.Silu)
            .Dense(3)
            .Build(loss, seed);

    private static void RoundTrip<T>(Activation activation, Loss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> original = Build<T>(activation, loss, seed: 31);
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;

        Network<T> loaded = Network.Load<T>(stream);

        loaded.Loss.Name.Should().Be(loss.Name);
        loaded.Loss.GetConfig().Should().Be(loss.GetConfig(), "the loss keeps its hyper-parameters");
        for (int l = 0; l < original.Layers.Count; l++)
        {
            Activation expected = ((Dense<T>)original.Layers[l]).Activation;
            Activation actual = ((Dense<T>)loaded.Layers[l]).Activation;
            actual.Should().BeOfType(expected.GetType());
            actual.GetConfig().Should().Be(expected.GetConfig(), "layer {0} keeps its activation's hyper-parameters", l);
            ((Dense<T>)loaded.Layers[l]).WeightInitializer.Name.Should().Be(((Dense<T>)original.Layers[l]).WeightInitializer.Name);
        }

        Matrix<T> inputs = TestData.RandomMatrix<T>(new Random(8), 9, 4, limit: 3);
        Bits(loaded.Predict(inputs)).Should().Equal(Bits(original.Predict(inputs)), "predictions are bit-identical");
        Matrix<T> targets = loss is SoftmaxCrossEntropy ? TestData.OneHot<T>([0, 1, 2, 2, 1, 0, 1, 2, 0], 3) : TestData.RandomMatrix<T>(new Random(9), 9, 3);
        loaded.ComputeLoss(inputs, targets).Should().Be(original.ComputeLoss(inputs, targets));
    }

    private void InterruptAndResume<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(77);
        Matrix<T> inputs = TestData.RandomMatrix<T>(random, 24, 4, limit: 2);
        int[] labels = [.. Enumerable.Range(0, 24).Select(i => i % 3)];
        Loss loss = Loss.WeightedSoftmaxCrossEntropy([1.0, 3.0, 0.5]);
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.05, UpdateRule = new Adam() };

        Network<T> reference = Network.Sequential<T>(4).Dense(6, Activation.Gelu).Dense(5, Activation.Elu(0.5)).Dense(3).Build(loss, seed: 5);
        reference.Fit(inputs, labels, options);

        string path = Path.Combine(_directory, $"toolkit-{typeof(T).Name}.ckpt");
        using var cancel = new CancellationTokenSource();
        Network<T> interrupted = Network.Sequential<T>(4).Dense(6, Activation.Gelu).Dense(5, Activation.Elu(0.5)).Dense(3).Build(loss, seed: 5);
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
        checkpoint.Network.Loss.GetConfig().Should().Be(loss.GetConfig(), "the checkpoint keeps the class weights");
        checkpoint.Resume(inputs, labels, options with { UpdateRule = new Adam() });

        for (int p = 0; p < reference.Parameters.Count; p++)
        {
            Bits(checkpoint.Network.Parameters[p].Value).Should().Equal(Bits(reference.Parameters[p].Value), "parameter {0} ends as in the run that never stopped", p);
        }
    }

    private static long[] Bits<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. matrix.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v)))];
}
