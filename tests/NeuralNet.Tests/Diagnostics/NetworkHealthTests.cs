using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Diagnostics;

/// <summary>The public health checks: a gradient check on the user's own float network and data, gradient norms, and dead or saturated units.</summary>
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
    public void The_gradient_check_runs_in_training_mode_so_dropout_and_batch_normalization_pass_it()
    {
        var random = new Random(9);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 16, 5);
        int[] labels = TestData.Interleaved(16, 3);
        Network<float> network = Network.Sequential(5).Dense(7, Activation.Tanh).BatchNormalization().Dropout(0.4)
            .Dense(6, Activation.Gelu).LayerNormalization().Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 4);
        network.Fit(x, labels, new TrainingOptions { Epochs = 3, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(8) });
        Matrix<float> targets = TestData.OneHot<float>(labels, 3);

        GradientCheckReport report = NetworkHealth.CheckGradients(network, x, targets, entriesPerParameter: 10, seed: 3);

        // Finite differences of the inference-mode loss would miss both: dropout's mask and the batch's statistics.
        report.Layers.Should().HaveCount(5, "the dense, batch and layer normalisation layers have parameters; dropout has none");
        report.Passed(1e-5).Should().BeTrue(report.ToString());
    }

    [Fact]
    public void Gradient_norms_are_the_norms_of_the_gradients_worked_out_by_hand_and_leave_the_network_unchanged()
    {
        var random = new Random(21);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 6, 3);
        Matrix<float> targets = TestData.OneHot<float>(TestData.Interleaved(6, 2), 2);
        var hidden = new Dense<float>(3, 4, Activation.Tanh);
        var output = new Dense<float>(4, 2);
        var network = new Network<float>([hidden, output], Loss.SoftmaxCrossEntropy, seed: 5);
        float[] before = [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];

        IReadOnlyList<ParameterGradientNorm> norms = NetworkHealth.MeasureGradientNorms(network, x, targets);

        // By hand, in double from the float weights, with rows as samples: A = tanh(X·W1 + b1), P = softmax(A·W2 + b2),
        // dZ2 = (P − Y)/m, dW2 = Aᵀ·dZ2, db2 = Σ dZ2, dZ1 = dZ2·W2ᵀ ⊙ (1 − A²), dW1 = Xᵀ·dZ1, db1 = Σ dZ1.
        Matrix<double> input = x.Map(v => (double)v);
        Matrix<double> w1 = hidden.Weights.Value.Map(v => (double)v), b1 = hidden.Biases.Value.Map(v => (double)v);
        Matrix<double> w2 = output.Weights.Value.Map(v => (double)v), b2 = output.Biases.Value.Map(v => (double)v);
        Matrix<double> ones = Matrix<double>.Build.Dense(6, 1, 1.0);
        Matrix<double> a = (input * w1 + ones * b1).Map(Math.Tanh);
        Matrix<double> z = a * w2 + ones * b2;
        Matrix<double> p = Matrix<double>.Build.Dense(6, 2, (i, j) => Math.Exp(z[i, j]) / (Math.Exp(z[i, 0]) + Math.Exp(z[i, 1])));
        Matrix<double> dZ2 = (p - targets.Map(v => (double)v)) / 6;
        Matrix<double> dZ1 = (dZ2 * w2.Transpose()).PointwiseMultiply(a.Map(value => 1 - (value * value)));
        double[] expected =
        [
            (input.Transpose() * dZ1).FrobeniusNorm(), dZ1.ColumnSums().L2Norm(),
            (a.Transpose() * dZ2).FrobeniusNorm(), dZ2.ColumnSums().L2Norm(),
        ];

        norms.Select(n => (n.Layer, n.Description, n.Parameter)).Should().Equal(
            (0, hidden.ToString(), "weights"), (0, hidden.ToString(), "biases"), (1, output.ToString(), "weights"), (1, output.ToString(), "biases"));
        for (int k = 0; k < expected.Length; k++)
        {
            expected[k].Should().BeGreaterThan(1e-3, "a zero gradient would prove nothing");
            norms[k].Norm.Should().BeApproximately(expected[k], 1e-12 * expected[k], norms[k].ToString());
        }

        // Measured on a copy: the caller's weights and gradients are as they were.
        network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Should().Equal(before);
        network.Parameters.SelectMany(p => p.Gradient.ToColumnMajorArray()).Should().OnlyContain(g => g == 0);
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
        Action normsOfNaN = () => NetworkHealth.MeasureGradientNorms(network, x, Matrix<float>.Build.Dense(3, 2, float.PositiveInfinity));
        Action normsOfOtherColumns = () => NetworkHealth.MeasureGradientNorms(network, Matrix<float>.Build.Dense(3, 5), Matrix<float>.Build.Dense(3, 2));

        entries.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*entriesPerParameter must be positive*");
        columns.Should().Throw<ArgumentException>().WithMessage("*expects 2 columns*3×5*");
        nan.Should().Throw<ArgumentException>().WithMessage("*must be finite*row 0, column 0*");
        normsOfNaN.Should().Throw<ArgumentException>().WithMessage("*targets must be finite*row 0, column 0*");
        normsOfOtherColumns.Should().Throw<ArgumentException>().WithMessage("*expects 2*3×5*");
    }
}
