using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Convolutional networks whole: a small CNN against PyTorch, the builder's shape tracking and its refusals, saving and
/// loading, checkpoint resume and the health check's gradient check.
/// </summary>
public sealed class ConvolutionalNetworkTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-cnn-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_small_cnn_s_loss_and_gradients_match_pytorch()
    {
        var f = PyTorchReference.Cnn["network"]!;
        Network<double> network = Network.Sequential<double>(1, 8, 8)
            .Conv2D(3, kernel: 3, Activation.Relu).MaxPool2D(2, dropEdges: false).Flatten().Dense(5)
            .Build(Loss.SoftmaxCrossEntropy);
        var conv = (Conv2D<double>)network.Layers[0];
        var dense = (Dense<double>)network.Layers[3];
        PyTorchReference.Vector(f["conv_weights"]!).CopyTo(conv.Weights.Value.AsColumnMajorArray()!, 0);
        PyTorchReference.Vector(f["conv_biases"]!).CopyTo(conv.Biases!.Value.AsColumnMajorArray()!, 0);
        PyTorchReference.Matrix(f["dense_weights"]!).Transpose().CopyTo(dense.Weights.Value);
        PyTorchReference.Vector(f["dense_biases"]!).CopyTo(dense.Biases.Value.AsColumnMajorArray()!, 0);
        Matrix<double> x = PyTorchReference.Matrix(f["input"]!);
        Matrix<double> targets = TestData.OneHot([.. f["targets"]!.AsArray().Select(t => t!.GetValue<int>())], 5);

        double loss = network.Backpropagate(x, targets);

        double worst = PyTorchReference.Difference(loss, f["loss"]!.GetValue<double>());
        worst = Math.Max(worst, LayerCheck.MaxDifference(network.Infer(x), PyTorchReference.Matrix(f["logits"]!)));
        worst = Math.Max(worst, LayerCheck.MaxDifference(conv.Weights.Gradient, Matrix<double>.Build.Dense(9, 3, PyTorchReference.Vector(f["conv_weights_gradient"]!))));
        worst = Math.Max(worst, LayerCheck.MaxDifference(conv.Biases.Gradient, Matrix<double>.Build.Dense(1, 3, PyTorchReference.Vector(f["conv_biases_gradient"]!))));
        worst = Math.Max(worst, LayerCheck.MaxDifference(dense.Weights.Gradient, PyTorchReference.Matrix(f["dense_weights_gradient"]!).Transpose()));
        worst = Math.Max(worst, LayerCheck.MaxDifference(dense.Biases.Gradient, Matrix<double>.Build.Dense(1, 5, PyTorchReference.Vector(f["dense_biases_gradient"]!))));
        output.WriteLine($"small CNN: largest difference from PyTorch {worst:E2}");
        worst.Should().BeLessThan(1e-12);
    }

    [Fact]
    public void The_builder_tracks_the_image_shape_through_convolutions_and_pooling()
    {
        NetworkBuilder<float> builder = Network.Sequential(channels: 1, height: 28, width: 28)
            .Conv2D(8, kernel: 5, Activation.Relu);
        builder.CurrentShape.Should().Be(new ImageShape(8, 24, 24));
        builder.MaxPool2D(2).CurrentShape.Should().Be(new ImageShape(8, 12, 12));
        builder.Conv2D(16, kernel: 5, Activation.Relu).MaxPool2D(2).CurrentShape.Should().Be(new ImageShape(16, 4, 4));
        builder.Flatten().CurrentShape.Should().BeNull();
        builder.CurrentSize.Should().Be(256);

        Network<float> network = builder.Dense(10).Build(Loss.SoftmaxCrossEntropy);

        network.InputSize.Should().Be(784);
        network.Layers.Select(l => l.Name).Should().Equal("conv2d", "max_pool2d", "conv2d", "max_pool2d", "flatten", "dense");
        network.ParameterCount.Should().Be((25 * 8) + 8 + (200 * 16) + 16 + (256 * 10) + 10);
    }

    [Fact]
    public void Global_average_pooling_ends_the_images_with_one_feature_per_channel()
    {
        NetworkBuilder<double> builder = Network.Sequential<double>(3, 9, 9).Conv2D(6, 3, Activation.Relu, padding: Padding.Same).AveragePool2D(3).GlobalAveragePool();

        builder.CurrentShape.Should().BeNull();
        builder.CurrentSize.Should().Be(6);
    }

    [Fact]
    public void A_kernel_larger_than_its_input_fails_when_added_naming_both_shapes()
    {
        NetworkBuilder<float> builder = Network.Sequential(1, 8, 8).Conv2D(4, 5).MaxPool2D(2);

        Action act = () => builder.Conv2D(4, kernel: 5);

        act.Should().Throw<ArgumentException>().WithMessage("*5×5 window does not fit its 4×2×2 input*").And.ParamName.Should().Be("kernel");
    }

    [Fact]
    public void A_pool_that_would_drop_pixels_fails_unless_asked_to_drop_them()
    {
        NetworkBuilder<float> builder = Network.Sequential(1, 28, 28).Conv2D(4, 3);

        Action act = () => builder.MaxPool2D(4);

        act.Should().Throw<ArgumentException>().WithMessage("*4×26×26 input gives 4×6×6 but leaves the last 2 row(s) and 2 column(s) out*dropEdges*");
        builder.AveragePool2D(4, dropEdges: true).CurrentShape.Should().Be(new ImageShape(4, 6, 6));
    }

    [Fact]
    public void Dense_on_images_asks_for_flatten_and_image_layers_on_flat_features_ask_for_an_image_input()
    {
        Action dense = () => Network.Sequential(1, 4, 4).Dense(3);
        Action conv = () => Network.Sequential(16).Conv2D(2, 3);
        Action flatten = () => Network.Sequential(1, 4, 4).Flatten().Flatten();

        dense.Should().Throw<InvalidOperationException>().WithMessage("Dense after 1×4×4 images needs flat features: add Flatten()*");
        conv.Should().Throw<InvalidOperationException>().WithMessage("Conv2D needs images, but the network holds 16 flat features*Network.Sequential(channels, height, width)*");
        flatten.Should().Throw<InvalidOperationException>().WithMessage("Flatten needs images*");
    }

    [Fact]
    public void A_saved_cnn_loads_with_every_layer_s_configuration_and_predicts_bit_identically()
    {
        Network<float> network = Network.Sequential(2, 10, 9)
            .Conv2D(4, 3, Activation.Relu, stride: 2, padding: Padding.Explicit(1, 2), useBias: false)
            .AveragePool2D(2, stride: 1)
            .Conv2D(5, 2, Activation.Tanh, padding: Padding.Same)
            .MaxPool2D(3, stride: 2, dropEdges: true)
            .Conv2D(6, 1)
            .GlobalAveragePool()
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 4);
        Matrix<float> x = TestData.RandomMatrix<float>(new Random(3), 7, network.InputSize);
        string path = Path.Combine(_directory, "cnn.nnet");

        network.Save(path);
        Network<float> loaded = Network.Load<float>(path);

        loaded.Layers.Select(l => l.GetConfig()).Should().Equal(network.Layers.Select(l => l.GetConfig()));
        loaded.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
        loaded.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void The_health_check_passes_the_gradients_of_every_image_layer()
    {
        Network<float> network = Network.Sequential(2, 9, 9)
            .Conv2D(3, 3, Activation.Tanh, padding: Padding.Same)
            .MaxPool2D(3)
            .Conv2D(4, 2, Activation.Tanh, stride: 2, padding: Padding.Explicit(1, 1))
            .AveragePool2D(2)
            .Flatten()
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 2);
        var random = new Random(6);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 5, network.InputSize);
        Matrix<float> targets = TestData.OneHot<float>(TestData.RandomLabels(random, 5, 3), 3);

        GradientCheckReport report = NetworkHealth.CheckGradients(network, x, targets, entriesPerParameter: 40, seed: 1);

        output.WriteLine(report.ToString());
        report.Layers.Should().HaveCount(3, "the two convolutions and the dense layer have parameters");
        report.Passed(1e-5).Should().BeTrue(report.ToString());
    }

    [Fact]
    public void Resuming_cnn_training_from_a_checkpoint_gives_bit_identical_weights_and_history()
    {
        var random = new Random(12);
        int[] labels = TestData.RandomLabels(random, 40, 3);
        Dataset<float> train = Dataset.ForClassification(TestData.RandomMatrix<float>(random, 40, 2 * 6 * 6), labels, 3);
        var options = new TrainingOptions
        {
            Epochs = 5,
            LearningRate = 0.05,
            GradientDescent = new MiniBatchGradientDescent(8),
            UpdateRule = new Momentum(0.9),
            Schedule = LearningRateSchedule.Cosine(),
            Seed = 3,
        };
        static Network<float> Build() => Network.Sequential(2, 6, 6).Conv2D(4, 3, Activation.Relu, padding: Padding.Same).MaxPool2D(2).Flatten().Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);

        Network<float> reference = Build();
        TrainingHistory full = reference.Fit(train, options);

        string path = Path.Combine(_directory, "cnn.ckpt");
        using var cancel = new CancellationTokenSource();
        Network<float> interrupted = Build();
        Action first = () => interrupted.Fit(train, options with { Checkpoint = new CheckpointOptions(path), OnEpoch = r => { if (r.Epoch == 2) { cancel.Cancel(); } } }, cancellationToken: cancel.Token);
        first.Should().Throw<OperationCanceledException>();
        TrainingCheckpoint<float> checkpoint = TrainingCheckpoint.Load<float>(path);
        checkpoint.CompletedEpochs.Should().Be(2);
        TrainingHistory resumed = checkpoint.Resume(train, options);

        checkpoint.Network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Should().Equal(reference.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()));
        resumed.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero }).Should().Equal(full.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero }));
    }
}
