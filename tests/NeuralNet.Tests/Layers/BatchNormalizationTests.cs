using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>Batch normalisation: batch statistics in training mode, running statistics in inference mode, as PyTorch's BatchNorm1d.</summary>
public class BatchNormalizationTests(ITestOutputHelper output)
{
    [Fact]
    public void Starts_as_pytorch_does_and_gamma_and_beta_do_not_decay()
    {
        var layer = new BatchNormalization<double>(3);

        layer.Gamma.Value.Enumerate().Should().AllSatisfy(v => v.Should().Be(1));
        layer.Beta.Value.Enumerate().Should().AllSatisfy(v => v.Should().Be(0));
        layer.RunningMean.Should().Equal(0.0, 0.0, 0.0);
        layer.RunningVariance.Should().Equal(1.0, 1.0, 1.0);
        layer.Momentum.Should().Be(0.1);
        layer.Epsilon.Should().Be(1e-5);
        layer.Parameters.Should().AllSatisfy(p => p.Decays.Should().BeFalse("weight decay leaves γ and β alone"));
    }

    [Fact]
    public void Gradient_check_in_training_mode()
    {
        var layer = new BatchNormalization<double>(3);
        TestData.RandomMatrix(new Random(21), 1, 3, 2).CopyTo(layer.Gamma.Value);
        TestData.RandomMatrix(new Random(22), 1, 3).CopyTo(layer.Beta.Value);
        Matrix<double> x = TestData.RandomMatrix(new Random(23), 6, 3, 3);
        Matrix<double> upstream = TestData.RandomMatrix(new Random(24), 6, 3);

        double error = LayerCheck.MaxError(layer, x, upstream);

        output.WriteLine($"batch normalization gradient check: max relative error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Matches_pytorch_in_training_mode_then_in_inference_mode_with_the_running_statistics()
    {
        var layer = new BatchNormalization<double>(4);
        LayerCheck.Set(layer.Gamma, "gamma");
        LayerCheck.Set(layer.Beta, "beta");
        Matrix<double> x = PyTorchReference.Matrix(PyTorchReference.Layers["input"]!);
        Matrix<double> upstream = PyTorchReference.Matrix(PyTorchReference.Layers["upstream"]!);
        var training = PyTorchReference.Layers["batch_normalization_training"]!;
        var inference = PyTorchReference.Layers["batch_normalization_inference"]!;
        var running = PyTorchReference.Layers["batch_normalization_running"]!;

        Matrix<double> y = layer.Forward(x).Clone();
        Matrix<double> dx = layer.Backward(upstream);
        double trainingDifference = Max(
            LayerCheck.MaxDifference(y, PyTorchReference.Matrix(training["output"]!)),
            LayerCheck.MaxDifference(dx, PyTorchReference.Matrix(training["input_gradient"]!)),
            LayerCheck.MaxDifference(layer.Gamma.Gradient, RowOf(training["gamma_gradient"]!)),
            LayerCheck.MaxDifference(layer.Beta.Gradient, RowOf(training["beta_gradient"]!)));

        layer.Forward(PyTorchReference.Matrix(PyTorchReference.Layers["second_input"]!));
        double runningDifference = Max(
            LayerCheck.MaxDifference(RowOf(layer.RunningMean), RowOf(running["running_mean"]!)),
            LayerCheck.MaxDifference(RowOf(layer.RunningVariance), RowOf(running["running_variance"]!)));
        double inferenceDifference = LayerCheck.MaxDifference(layer.Infer(x), PyTorchReference.Matrix(inference["output"]!));

        output.WriteLine($"batch normalization vs PyTorch: training {trainingDifference:E2}, running statistics {runningDifference:E2}, inference {inferenceDifference:E2}");
        trainingDifference.Should().BeLessThan(1e-12);
        runningDifference.Should().BeLessThan(1e-12);
        inferenceDifference.Should().BeLessThan(1e-12);
    }

    [Fact]
    public void A_training_batch_of_one_sample_is_refused()
    {
        var layer = new BatchNormalization<double>(3);
        Action forward = () => layer.Forward(Matrix<double>.Build.Dense(1, 3, 1.0));

        forward.Should().Throw<ArgumentException>().WithMessage("*at least 2 samples*got 1*");
        layer.Infer(Matrix<double>.Build.Dense(1, 3, 1.0)).RowCount.Should().Be(1, "inference takes any number of samples");
    }

    [Fact]
    public void Bad_arguments_and_configurations_are_refused_with_the_value()
    {
        Action momentum = () => _ = new BatchNormalization<double>(3, momentum: 1.5);
        Action epsilon = () => _ = new BatchNormalization<double>(3, epsilon: 0);
        ComponentConfig config = new BatchNormalization<double>(2).GetConfig().Set("running_variance", new[] { 1.0, -0.5 });
        Action load = () => ComponentRegistry.Layers.Create<double>("batch_normalization", config);
        ComponentConfig shortConfig = new BatchNormalization<double>(2).GetConfig().Set("running_mean", new[] { 1.0 });
        Action loadShort = () => ComponentRegistry.Layers.Create<double>("batch_normalization", shortConfig);

        momentum.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*(0, 1]*1.5*");
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*epsilon*0*");
        load.Should().Throw<ArgumentException>().WithMessage("*running_variance*-0.5*");
        loadShort.Should().Throw<ArgumentException>().WithMessage("*needs 2 values*holds 1*");
    }

    [Fact]
    public void Fit_updates_the_running_statistics_and_predict_uses_them()
    {
        Network<double> network = Network.Sequential<double>(3).BatchNormalization().Dense(2).Build(Loss.MeanSquaredError, seed: 2);
        Matrix<double> x = TestData.RandomMatrix(new Random(31), 16, 3, 4) + 5;
        Matrix<double> y = TestData.RandomMatrix(new Random(32), 16, 2);
        var layer = (BatchNormalization<double>)network.Layers[0];

        network.Fit(x, y, new TrainingOptions { Epochs = 30, GradientDescent = new MiniBatchGradientDescent(8), Seed = 1 });

        layer.RunningMean.Should().AllSatisfy(m => m.Should().BeInRange(3, 7), "60 updates at momentum 0.1 bring the running mean close to the data's mean of about 5");
        Matrix<double> expected = network.Layers[1].Infer(layer.Infer(x));
        network.Predict(x).Should().Be(expected);
    }

    private static double Max(params double[] values) => values.Max();

    private static Matrix<double> RowOf(System.Text.Json.Nodes.JsonNode node) => Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(node));

    private static Matrix<double> RowOf(IReadOnlyList<double> values) => Matrix<double>.Build.DenseOfRowArrays(values.ToArray());
}
