using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The activation layer: any registered activation on its own, so that a normalisation can sit between a dense layer's
/// affine map and its non-linearity (PyTorch's Linear → BatchNorm1d → ReLU).
/// </summary>
public class ActivationLayerTests(ITestOutputHelper output)
{
    // Keeps ReLU kinks further from every pre-activation than a nudge of 1e-6 can move it.
    private const double KinkMargin = 1e-3;

    public static TheoryData<string> Activations => new("relu", "gelu", "tanh");

    [Theory]
    [MemberData(nameof(Activations))]
    public void Gradient_check_through_dense_then_batch_normalisation_then_the_activation(string name)
    {
        Activation activation = ComponentRegistry.Activations.Create(name, new ComponentConfig());
        var dense = new Dense<double>(4, 3);
        var norm = new BatchNormalization<double>(3);
        var act = new ActivationLayer<double>(3, activation);
        TestData.RandomMatrix(new Random(31), 4, 3).CopyTo(dense.Weights.Value);
        TestData.RandomMatrix(new Random(32), 1, 3).CopyTo(dense.Biases.Value);
        TestData.RandomMatrix(new Random(33), 1, 3, 2).CopyTo(norm.Gamma.Value);
        TestData.RandomMatrix(new Random(34), 1, 3).CopyTo(norm.Beta.Value);
        Matrix<double> x = TestData.RandomMatrix(new Random(35), 7, 4, 2);
        Matrix<double> upstream = TestData.RandomMatrix(new Random(36), 7, 3);
        Layer<double>[] chain = [dense, norm, act];
        var context = new TrainingContext(new RandomSource(1));
        Matrix<double> Output()
        {
            Matrix<double> current = x;
            foreach (Layer<double> layer in chain)
            {
                current = layer.Forward(current, context);
            }

            return current;
        }

        Output();
        norm.Forward(dense.Forward(x, context), context).Enumerate().Min(Math.Abs).Should().BeGreaterThan(KinkMargin, "no pre-activation sits at ReLU's kink");
        foreach (Layer<double> layer in chain)
        {
            layer.ZeroGradients();
        }

        Output();
        Matrix<double> gradient = upstream;
        for (int l = chain.Length - 1; l >= 0; l--)
        {
            gradient = chain[l].Backward(gradient);
        }

        Matrix<double> dx = gradient.Clone();

        // Batch normalisation takes each feature's mean away, so the dense biases before it have no effect at all.
        dense.Biases.Gradient.Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12, "a shift the batch mean removes has no gradient");
        Parameter<double>[] parameters = [dense.Weights, norm.Gamma, norm.Beta];
        Matrix<double>[] analytic = [.. parameters.Select(p => p.Gradient.Clone())];
        act.Parameters.Should().BeEmpty();

        Matrix<double> numericalDx = GradientCheck.Numerical(Output, upstream, x);
        GradientCheck.ShouldMatch(dx, numericalDx, "the input");
        double worst = GradientCheck.MaxRelativeError(dx, numericalDx);
        for (int p = 0; p < parameters.Length; p++)
        {
            Matrix<double> numerical = GradientCheck.Numerical(Output, upstream, parameters[p].Value);
            GradientCheck.ShouldMatch(analytic[p], numerical, parameters[p].Name);
            worst = Math.Max(worst, GradientCheck.MaxRelativeError(analytic[p], numerical));
        }

        output.WriteLine($"Dense(identity) → BatchNormalization → Activation({name}): max relative error {worst:E2}");
        worst.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("sigmoid")]
    [InlineData("silu")]
    public void Gradient_check_of_the_layer_alone(string name)
    {
        var layer = new ActivationLayer<double>(4, ComponentRegistry.Activations.Create(name, new ComponentConfig()));
        Matrix<double> x = TestData.RandomMatrix(new Random(41), 6, 4, 3);
        Matrix<double> upstream = TestData.RandomMatrix(new Random(42), 6, 4);

        double error = LayerCheck.MaxError(layer, x, upstream);

        output.WriteLine($"Activation({name}) gradient check: max relative error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Softmax_runs_across_each_row_and_both_modes_compute_the_same()
    {
        var layer = new ActivationLayer<double>(3, Activation.Softmax);
        Matrix<double> x = Matrix<double>.Build.DenseOfRowArrays([1.0, 2.0, 3.0], [-1.0, 0.0, 1000.0]);

        Matrix<double> inferred = layer.Infer(x);
        Matrix<double> trained = layer.Forward(x).Clone();

        // e^0, e^1, e^2 over their sum; the second row's max is subtracted first, so 1000 does not overflow.
        double sum = 1 + Math.E + (Math.E * Math.E);
        inferred.Row(0).ToArray().Should().Equal([1 / sum, Math.E / sum, Math.E * Math.E / sum], (a, b) => Math.Abs(a - b) < 1e-15);
        inferred.Row(1).ToArray().Should().Equal(0.0, 0.0, 1.0);
        trained.Should().Be(inferred, "the layer does the same in training and inference mode");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("softmax")]
    public void With_nothing_in_between_it_predicts_and_trains_bit_for_bit_as_the_dense_layer_with_the_activation(string name)
    {
        Activation activation = ComponentRegistry.Activations.Create(name, new ComponentConfig());
        Initializer weights = Initializer.GlorotUniform;
        Network<double> fused = Network.Sequential<double>(5).Dense(6, activation, weights).Dense(3).Build(Loss.MeanSquaredError, seed: 12);
        Network<double> split = Network.Sequential<double>(5).Dense(6, weightInitializer: weights).Activation(activation).Dense(3).Build(Loss.MeanSquaredError, seed: 12);
        Matrix<double> inputs = TestData.RandomMatrix(new Random(51), 20, 5, 2);
        Matrix<double> targets = TestData.RandomMatrix(new Random(52), 20, 3);

        split.Predict(inputs).Should().Be(fused.Predict(inputs));
        var options = new TrainingOptions { Epochs = 4, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(5), Seed = 6 };
        fused.Fit(inputs, targets, options);
        split.Fit(inputs, targets, options);

        split.Parameters.Select(p => p.Value).Should().Equal(fused.Parameters.Select(p => p.Value), "the same arithmetic runs in the same order");
        split.Predict(inputs).Should().Be(fused.Predict(inputs));
    }

    [Fact]
    public void A_softmax_layer_last_is_refused_before_softmax_cross_entropy_which_applies_its_own()
    {
        // Softmax cross-entropy's gradient P − Y is that of the logits: a softmax before it would be applied twice.
        Action build = () => Network.Sequential<float>(4).Dense(3).Activation(Activation.Softmax).Build(Loss.SoftmaxCrossEntropy);

        build.Should().Throw<ArgumentException>().WithMessage("softmax_cross_entropy works on logits*last layer must use the identity activation, but Activation(3, softmax) uses softmax.*");
    }

    [Fact]
    public void Softmax_cross_entropy_after_an_activation_layer_and_a_linear_output_trains_on_P_minus_Y()
    {
        Network<double> network = Network.Sequential<double>(4).Dense(5).BatchNormalization().Activation(Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 2);
        Matrix<double> inputs = TestData.RandomMatrix(new Random(61), 30, 4, 2);
        int[] labels = [.. Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, 3).MaxBy(j => inputs[i, j]))];

        TrainingHistory history = network.Fit(inputs, labels, new TrainingOptions { Epochs = 80, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(10), Seed = 3 });

        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss / 2);
        network.Accuracy(inputs, labels).Should().BeGreaterThan(0.9);
        network.Layers.Select(l => l.ToString()).Should().Equal("Dense(4→5, identity)", "BatchNormalization(5)", "Activation(5, relu)", "Dense(5→3, identity)");
    }

    [Fact]
    public void The_registry_rebuilds_it_from_its_configuration()
    {
        var layer = new ActivationLayer<float>(7, Activation.LeakyRelu(0.2));

        ComponentConfig config = layer.GetConfig();
        Layer<float> rebuilt = ComponentRegistry.Layers.Create<float>("activation", config);

        layer.Name.Should().Be("activation");
        rebuilt.Should().BeOfType<ActivationLayer<float>>();
        rebuilt.GetConfig().Should().Be(config);
        rebuilt.Activation.Should().BeOfType<LeakyRelu>().Which.GetConfig().GetDouble("slope").Should().Be(0.2);
        (rebuilt.InputSize, rebuilt.OutputSize).Should().Be((7, 7));
        rebuilt.Parameters.Should().BeEmpty();
    }

    [Fact]
    public void A_feature_count_that_is_not_positive_is_refused()
    {
        Action zero = () => _ = new ActivationLayer<double>(0, Activation.Relu);

        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("features");
    }

    [Fact]
    public void A_null_activation_is_refused_by_the_layer_and_the_builder()
    {
        Action layer = () => _ = new ActivationLayer<double>(3, null!);
        Action builder = () => Network.Sequential<double>(3).Activation(null!);

        layer.Should().Throw<ArgumentNullException>().WithParameterName("activation");
        builder.Should().Throw<ArgumentNullException>().WithParameterName("activation");
    }

    [Fact]
    public void Input_of_the_wrong_width_is_refused_naming_the_layer_and_both_shapes()
    {
        var layer = new ActivationLayer<double>(3, Activation.Tanh);
        Action infer = () => layer.Infer(Matrix<double>.Build.Dense(2, 4));

        infer.Should().Throw<ArgumentException>().WithMessage("Activation(3, tanh) expects 3 input columns but got 2×4.*");
    }

    [Fact]
    public void Backward_before_forward_is_refused()
    {
        var layer = new ActivationLayer<double>(3, Activation.Tanh);
        Action backward = () => layer.Backward(Matrix<double>.Build.Dense(2, 3));

        backward.Should().Throw<InvalidOperationException>().WithMessage("*Backward needs a Forward pass first*");
    }

    [Fact]
    public void The_builder_adds_it_at_the_current_width()
    {
        NetworkBuilder<float> builder = Network.Sequential<float>(4).Dense(6).Activation(Activation.Gelu);

        builder.CurrentSize.Should().Be(6);
        Network<float> network = builder.Dense(2).Build(Loss.MeanSquaredError);
        network.Layers[1].Should().BeOfType<ActivationLayer<float>>().Which.Activation.Should().BeSameAs(Activation.Gelu);
        network.ParameterCount.Should().Be((4 * 6) + 6 + (6 * 2) + 2, "the activation layer has no parameters");
    }
}
