using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Diagnostics;

/// <summary>The public health checks: a gradient check on the user's own float network and data, and dead or saturated units.</summary>
public class NetworkHealthTests
{
    [Fact]
    public void The_gradient_check_passes_on_a_trained_float_network_and_leaves_it_unchanged()
    {
        var random = new Random(8);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 16, 5);
        int[] labels = TestData.Interleaved(16, 3);
        Network<float> network = Network.Sequential(5).Dense(7, Activation.Tanh).Dense(6, Activation.Sigmoid).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 4);
        network.Fit(x, labels, new TrainingOptions { Epochs = 3, LearningRate = 0.1 });
        float[] before = [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];
        Matrix<float> targets = TestData.OneHot<float>(labels, 3);

        GradientCheckReport report = NetworkHealth.CheckGradients(network, x, targets, entriesPerParameter: 10, seed: 3);

        report.Layers.Should().HaveCount(3);
        // 10 of 35 weights + all 7 biases; 10 of 42 + 6; 10 of 18 + 3.
        report.Layers.Select(l => l.EntriesChecked).Should().Equal(17, 16, 13);
        report.Passed(1e-5).Should().BeTrue(report.ToString());
        network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Should().Equal(before);
    }

    [Fact]
    public void Dead_relu_units_and_saturated_sigmoid_units_are_counted()
    {
        var relu = new Dense<double>(2, 3, Activation.Relu);
        var sigmoid = new Dense<double>(3, 2, Activation.Sigmoid);
        var network = new Network<double>([relu, sigmoid], Loss.MeanSquaredError, seed: 1);

        // ReLU unit 0 can never fire (bias −100 against inputs in [0, 1]); units 1 and 2 always do.
        relu.Weights.Value.SetColumn(0, [1.0, 1.0]);
        relu.Weights.Value.SetColumn(1, [1.0, 1.0]);
        relu.Weights.Value.SetColumn(2, [1.0, -1.0]);
        relu.Biases.Value.SetRow(0, [-100.0, 0.5, 5.0]);

        // Sigmoid unit 0 sits at 1 for every sample; unit 1 stays in the middle.
        sigmoid.Weights.Value.Clear();
        sigmoid.Biases.Value.SetRow(0, [50.0, 0.0]);
        Matrix<double> inputs = Matrix<double>.Build.Dense(4, 2, (i, j) => (i + j) / 4.0);

        IReadOnlyList<LayerActivationHealth> health = NetworkHealth.InspectActivations(network, inputs);

        health.Should().HaveCount(2);
        health[0].Should().Be(new LayerActivationHealth(0, relu.ToString(), 3, DeadUnits: 1, SaturatedUnits: 0));
        health[1].Should().Be(new LayerActivationHealth(1, sigmoid.ToString(), 2, DeadUnits: 0, SaturatedUnits: 1));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Network<float> network = Network.Sequential(2).Dense(2).Build(Loss.MeanSquaredError, seed: 1);
        Matrix<float> x = Matrix<float>.Build.Dense(3, 2);

        Action entries = () => NetworkHealth.CheckGradients(network, x, Matrix<float>.Build.Dense(3, 2), entriesPerParameter: 0);
        Action columns = () => NetworkHealth.InspectActivations(network, Matrix<float>.Build.Dense(3, 5));
        Action nan = () => NetworkHealth.CheckGradients(network, Matrix<float>.Build.Dense(3, 2, float.NaN), Matrix<float>.Build.Dense(3, 2));

        entries.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*entriesPerParameter must be positive*");
        columns.Should().Throw<ArgumentException>().WithMessage("*expects 2 columns*3×5*");
        nan.Should().Throw<ArgumentException>().WithMessage("*must be finite*row 0, column 0*");
    }
}
