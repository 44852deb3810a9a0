using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>
/// How networks are put together (sizes, parameter counts, default initialisers, description) and how their
/// outputs are turned into predictions and classes.
/// </summary>
public class NetworkConstructionTests
{
    private static Dense<double> DenseLayer(Network<double> network, int index) => (Dense<double>)network.Layers[index];

    [Fact]
    public void The_builder_feeds_each_layer_the_previous_layers_output_size()
    {
        Network<double> network = Network.Sequential<double>(4)
            .Dense(8, Activation.Relu)
            .Dense(5, Activation.Tanh)
            .Dense(3)
            .Build(Loss.MeanSquaredError);

        network.InputSize.Should().Be(4);
        network.OutputSize.Should().Be(3);
        network.Layers.Should().HaveCount(3);
        network.Layers.Select(l => (l.InputSize, l.OutputSize)).Should().Equal((4, 8), (8, 5), (5, 3));
        network.Loss.Should().BeSameAs(Loss.MeanSquaredError);
    }

    [Fact]
    public void ParameterCount_is_weights_plus_biases_of_every_layer()
    {
        Network<double> network = Network.Sequential<double>(4).Dense(8, Activation.Relu).Dense(5, Activation.Tanh).Dense(3)
            .Build(Loss.MeanSquaredError);

        // By hand: (4·8 + 8) + (8·5 + 5) + (5·3 + 3) = 40 + 45 + 18.
        network.ParameterCount.Should().Be(103);
        network.Parameters.Should().HaveCount(6);
        network.Parameters.Select(p => p.Length).Should().Equal(32, 8, 40, 5, 15, 3);
    }

    [Fact]
    public void CurrentSize_follows_the_last_added_layer()
    {
        NetworkBuilder<float> builder = Network.Sequential(6);
        builder.CurrentSize.Should().Be(6);

        builder.Dense(9).CurrentSize.Should().Be(9);
        builder.Dense(2).CurrentSize.Should().Be(2);
    }

    [Fact]
    public void The_constructor_accepts_layers_built_by_hand()
    {
        Layer<double>[] layers = [new Dense<double>(2, 7, Activation.Sigmoid), new Dense<double>(7, 1)];

        var network = new Network<double>(layers, Loss.SigmoidBinaryCrossEntropy, seed: 3);

        network.InputSize.Should().Be(2);
        network.OutputSize.Should().Be(1);
        network.Layers.Should().Equal(layers);
        network.ParameterCount.Should().Be((2 * 7) + 7 + 7 + 1);
    }

    [Fact]
    public void ToString_lists_the_layers_in_order_with_loss_and_parameter_count()
    {
        Network<float> network = Network.Sequential(4).Dense(8, Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy);

        // 4·8 + 8 + 8·3 + 3 = 67 parameters.
        network.ToString().Should().Match("*float*Dense(4→8, relu)*Dense(8→3, identity)*softmax_cross_entropy*67 parameters*");
    }

    // ReLU-family units zero half their inputs, so He scaling (fan-in only) keeps the signal; the rest use Glorot.
    [Fact]
    public void Default_weight_initialisers_depend_on_the_activation_and_biases_default_to_zeros()
    {
        Activation[] heFamily = [Activation.Relu, Activation.LeakyRelu(0.2)];
        Activation[] glorotFamily = [Activation.Sigmoid, Activation.Tanh, Activation.Identity, Activation.Softmax];

        foreach (Activation activation in heFamily)
        {
            var dense = new Dense<double>(3, 2, activation);
            dense.WeightInitializer.Should().BeSameAs(Initializer.HeUniform, because: $"{activation} is ReLU-like");
            dense.BiasInitializer.Should().BeSameAs(Initializer.Zeros);
        }

        foreach (Activation activation in glorotFamily)
        {
            var dense = new Dense<double>(3, 2, activation);
            dense.WeightInitializer.Should().BeSameAs(Initializer.GlorotUniform, because: $"{activation} is not ReLU-like");
            dense.BiasInitializer.Should().BeSameAs(Initializer.Zeros);
        }

        new Dense<double>(3, 2).Activation.Should().BeSameAs(Activation.Identity);
        new Dense<double>(3, 2).WeightInitializer.Should().BeSameAs(Initializer.GlorotUniform);
    }

    [Fact]
    public void The_builder_uses_the_same_defaults_and_keeps_explicit_initialisers()
    {
        Network<double> network = Network.Sequential<double>(4)
            .Dense(6, Activation.Relu)
            .Dense(5, Activation.Tanh, Initializer.HeNormal, Initializer.RandomNormal(0.1))
            .Dense(2)
            .Build(Loss.MeanSquaredError, seed: 9);

        DenseLayer(network, 0).WeightInitializer.Should().BeSameAs(Initializer.HeUniform);
        DenseLayer(network, 1).WeightInitializer.Should().BeSameAs(Initializer.HeNormal);
        DenseLayer(network, 1).BiasInitializer.Should().BeOfType<RandomNormal>().Which.StandardDeviation.Should().Be(0.1);
        DenseLayer(network, 2).WeightInitializer.Should().BeSameAs(Initializer.GlorotUniform);

        // The defaults are not just named but applied: biases come out zero, weights do not.
        DenseLayer(network, 0).Biases.Value.ToColumnMajorArray().Should().OnlyContain(v => v == 0);
        DenseLayer(network, 1).Biases.Value.ToColumnMajorArray().Should().Contain(v => v != 0);
        DenseLayer(network, 0).Weights.Value.ToColumnMajorArray().Should().OnlyContain(v => v != 0);
    }

    [Fact]
    public void PredictClasses_picks_the_largest_output_of_each_row()
    {
        var dense = new Dense<double>(2, 3);
        var network = new Network<double>([dense], Loss.MeanSquaredError, seed: 0);
        // Outputs (x, y, −x−y): with MSE the prediction is the raw output, so the winners are worked out by hand.
        double[,] w = { { 1, 0, -1 }, { 0, 1, -1 } };
        dense.Weights.Value.SetSubMatrix(0, 0, Matrix<double>.Build.DenseOfArray(w));
        dense.Biases.Value.Clear();
        Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { 2, 1 },    // (2, 1, −3)  → 0
            { 0, 3 },    // (0, 3, −3)  → 1
            { -1, -1 },  // (−1, −1, 2) → 2
            { -2, 0.5 }, // (−2, 0.5, 1.5) → 2
            { 0.2, 0.3 }, // (0.2, 0.3, −0.5) → 1
        });

        network.PredictClasses(inputs).Should().Equal(0, 1, 2, 2, 1);
    }

    [Fact]
    public void PredictClasses_with_one_output_thresholds_the_prediction_at_one_half()
    {
        // With MSE the prediction is the raw output x itself, so the threshold is visible exactly at 0.5.
        var dense = new Dense<double>(1, 1);
        var network = new Network<double>([dense], Loss.MeanSquaredError, seed: 0);
        dense.Weights.Value[0, 0] = 1;
        dense.Biases.Value[0, 0] = 0;
        Matrix<double> inputs = Matrix<double>.Build.DenseOfColumnArrays(new[] { -3.0, 0.0, 0.49, 0.5, 0.51, 7.0 });

        network.PredictClasses(inputs).Should().Equal(0, 0, 0, 1, 1, 1);
    }

    [Fact]
    public void PredictClasses_with_a_sigmoid_loss_thresholds_the_probability_not_the_logit()
    {
        // The logits 0 and 0.3 lie below ½ but their probabilities σ(0) = 0.5 and σ(0.3) ≈ 0.57 do not, so a
        // threshold wrongly applied to the logit would call them class 0.
        var dense = new Dense<double>(1, 1);
        var network = new Network<double>([dense], Loss.SigmoidBinaryCrossEntropy, seed: 0);
        dense.Weights.Value[0, 0] = 1;
        dense.Biases.Value[0, 0] = 0;
        Matrix<double> inputs = Matrix<double>.Build.DenseOfColumnArrays(new[] { -0.01, 0.0, 0.3, -5.0 });

        network.PredictClasses(inputs).Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void Predict_of_one_sample_equals_the_matching_row_of_Predict_of_a_matrix()
    {
        var random = new Random(5001);
        Network<double> network = Network.Sequential<double>(4).Dense(6, Activation.Tanh).Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 21);
        Matrix<double> inputs = TestData.RandomMatrix(random, 7, 4, limit: 2);

        Matrix<double> batch = network.Predict(inputs);

        for (int i = 0; i < inputs.RowCount; i++)
        {
            double[] single = network.Predict(inputs.Row(i).ToArray());
            single.Should().Equal(batch.Row(i).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12, because: $"row {i} is the same sample");
        }
    }

    [Fact]
    public void Predict_with_softmax_cross_entropy_returns_the_softmax_of_the_logits()
    {
        var random = new Random(5002);
        Network<double> network = Network.Sequential<double>(3).Dense(5, Activation.Relu).Dense(4)
            .Build(Loss.SoftmaxCrossEntropy, seed: 8);
        Matrix<double> inputs = TestData.RandomMatrix(random, 6, 3, limit: 2);

        Matrix<double> logits = network.Infer(inputs);
        Matrix<double> probabilities = network.Predict(inputs);

        for (int i = 0; i < inputs.RowCount; i++)
        {
            // An independent softmax written here, to compare against.
            double[] z = logits.Row(i).ToArray();
            double[] e = [.. z.Select(v => Math.Exp(v))];
            double sum = e.Sum();
            double[] row = probabilities.Row(i).ToArray();

            row.Sum().Should().BeApproximately(1.0, 1e-12);
            row.Should().OnlyContain(p => p > 0 && p < 1);
            row.Should().Equal(e.Select(v => v / sum), (a, b) => Math.Abs(a - b) <= 1e-12);
        }
    }

    [Fact]
    public void Accuracy_is_the_fraction_of_rows_whose_class_matches_the_label()
    {
        var dense = new Dense<double>(2, 3);
        var network = new Network<double>([dense], Loss.SoftmaxCrossEntropy, seed: 0);
        // Logits (x, y, −x−y); the predicted classes are 0, 1, 2, 1 (see PredictClasses test above).
        dense.Weights.Value.SetSubMatrix(0, 0, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, -1 }, { 0, 1, -1 } }));
        dense.Biases.Value.Clear();
        Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 0, 3 }, { -1, -1 }, { 0.2, 0.3 } });

        // Three of four labels agree with those classes.
        network.Accuracy(inputs, [0, 1, 0, 1]).Should().Be(0.75);
        network.Accuracy(inputs, [0, 1, 2, 1]).Should().Be(1.0);
        network.Accuracy(inputs, [1, 2, 0, 0]).Should().Be(0.0);
    }

    [Fact]
    public void Two_networks_built_from_one_builder_share_no_layers()
    {
        // Building the second network must neither re-draw nor alias the first one's weights.
        NetworkBuilder<double> builder = Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2);
        Network<double> first = builder.Build(Loss.MeanSquaredError, seed: 1);
        double[] before = first.Parameters[0].Value.ToColumnMajorArray();

        Network<double> second = builder.Build(Loss.MeanSquaredError, seed: 2);

        second.Layers.Should().NotIntersectWith(first.Layers);
        first.Parameters[0].Value.ToColumnMajorArray().Should().Equal(before);
        second.Parameters[0].Value[0, 0] = 42;
        first.Parameters[0].Value[0, 0].Should().Be(before[0]);
    }
}
