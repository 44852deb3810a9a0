using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="Normalization{T}"/>: (x − mean) / std with frozen statistics, its backward pass dY / std, and a network
/// that holds it computing and training exactly as one fed the scaler's output.
/// </summary>
public class NormalizationTests
{
    /// <summary>Three features on very different scales, so a per-feature mistake shows.</summary>
    private static Matrix<T> RawFeatures<T>(int rows, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        double[] offsets = [-50, 3, 1e3];
        double[] scales = [0.5, 2, 250];
        return Matrix<T>.Build.Dense(rows, 3, (_, j) => T.CreateChecked(offsets[j] + (scales[j] * TestData.Gaussian(random))));
    }

    private static Matrix<T> Targets<T>(Matrix<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(x.RowCount, 2, (i, k) => T.CreateChecked(Math.Sin(double.CreateChecked(x[i, 0]) / 50 + k) + (double.CreateChecked(x[i, 2]) / 1000)));

    [Fact]
    public void Forward_subtracts_the_mean_and_divides_by_the_standard_deviation_per_feature()
    {
        var layer = new Normalization<double>([1.0, -2.0], [4.0, 0.5]);
        Matrix<double> x = Matrix<double>.Build.DenseOfRowArrays([5.0, -1.0], [1.0, -3.0]);

        // (5 − 1)/4 = 1, (−1 + 2)/0.5 = 2; (1 − 1)/4 = 0, (−3 + 2)/0.5 = −2.
        layer.Infer(x).ToRowArrays().Should().BeEquivalentTo(new[] { new[] { 1.0, 2.0 }, new[] { 0.0, -2.0 } }, o => o.WithStrictOrdering());
        layer.Forward(x).ToRowArrays().Should().BeEquivalentTo(new[] { new[] { 1.0, 2.0 }, new[] { 0.0, -2.0 } }, o => o.WithStrictOrdering());
        layer.Parameters.Should().BeEmpty("the statistics are frozen, not trained");
        layer.ToString().Should().Be("Normalization(2)");
    }

    [Fact]
    public void Backward_divides_the_upstream_gradient_by_the_standard_deviation()
    {
        var layer = new Normalization<double>([1.0, -2.0], [4.0, 0.5]);
        layer.Forward(Matrix<double>.Build.Dense(2, 2, 3.0));

        Matrix<double> dx = layer.Backward(Matrix<double>.Build.DenseOfRowArrays([8.0, 1.0], [-2.0, 3.0]));

        dx.ToRowArrays().Should().BeEquivalentTo(new[] { new[] { 2.0, 2.0 }, new[] { -0.5, 6.0 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Backward_matches_central_differences_of_the_sum_of_output_times_upstream_gradient()
    {
        var random = new Random(4411);
        var layer = new Normalization<double>([0.3, -1.2, 7.0, 0.0], [0.25, 3.0, 0.0, 1.5]);
        Matrix<double> x = TestData.RandomMatrix(random, 5, 4, 3);
        Matrix<double> upstream = TestData.RandomMatrix(random, 5, 4);

        layer.Forward(x);
        Matrix<double> analytic = layer.Backward(upstream).Clone();
        Matrix<double> numerical = GradientCheck.Numerical(() => layer.Forward(x), upstream, x);

        GradientCheck.ShouldMatch(analytic, numerical, "the input of a normalisation layer");
    }

    [Fact]
    public void The_gradient_check_passes_through_a_normalisation_layer_between_dense_layers()
    {
        var random = new Random(4412);
        Network<double> network = Network.Sequential<double>(3)
            .Dense(4, Activation.Tanh)
            .Normalize([0.1, -0.2, 0.3, 0.0], [0.5, 2.0, 0.25, 1.0])
            .Dense(2)
            .Build(Loss.MeanSquaredError, seed: 7);
        Matrix<double> x = TestData.RandomMatrix(random, 6, 3);
        Matrix<double> y = TestData.RandomMatrix(random, 6, 2);

        GradientCheckReport report = NetworkHealth.CheckGradients(network, x, y);

        report.Layers.Select(l => l.Layer).Should().Equal(0, 2);
        report.Layers.Should().OnlyContain(l => l.MaxRelativeError < 1e-6, "the first layer's gradients flow through the normalisation's dY / std");
    }

    [Fact]
    public void A_zero_standard_deviation_is_kept_as_one_so_a_constant_feature_is_only_centred()
    {
        var layer = new Normalization<float>([2f, 0f], [0f, 2f]);

        layer.StandardDeviation.Should().Equal(1f, 2f);
        layer.Infer(Matrix<float>.Build.DenseOfRowArrays([5f, 4f])).Row(0).ToArray().Should().Equal(3f, 2f);
    }

    [Fact]
    public void A_network_that_normalises_predicts_bit_identically_to_one_fed_the_scalers_output()
    {
        Matrix<float> x = RawFeatures<float>(20, 1);
        var scaler = new StandardScaler<float>().Fit(x);
        Network<float> inside = Network.Sequential(3).Normalize(scaler).Dense(5, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 3);
        Network<float> outside = Network.Sequential(3).Dense(5, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 3);

        inside.Predict(x).ToColumnMajorArray().Should().Equal(outside.Predict(scaler.Transform(x)).ToColumnMajorArray());
    }

    [Fact]
    public void Training_on_raw_features_through_the_layer_gives_the_weights_of_training_on_scaled_features()
    {
        Matrix<double> x = RawFeatures<double>(24, 2);
        Matrix<double> y = Targets(x);
        var scaler = new MinMaxScaler<double>().Fit(x);
        Network<double> inside = Network.Sequential<double>(3).Normalize(scaler).Dense(6, Activation.Relu).Dense(2).Build(Loss.MeanSquaredError, seed: 4);
        Network<double> outside = Network.Sequential<double>(3).Dense(6, Activation.Relu).Dense(2).Build(Loss.MeanSquaredError, seed: 4);
        var options = new TrainingOptions { Epochs = 4, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(5), Seed = 9 };

        inside.Fit(x, y, options);
        outside.Fit(scaler.Transform(x), y, options);

        inside.Parameters.Select(p => p.Value.ToColumnMajorArray()).SelectMany(v => v)
            .Should().Equal(outside.Parameters.Select(p => p.Value.ToColumnMajorArray()).SelectMany(v => v));
        inside.Layers[0].Should().BeOfType<Normalization<double>>().Which.Mean.Should().Equal(scaler.Minimum, "training leaves the statistics as they were");
    }

    [Fact]
    public void A_normalising_network_saves_and_loads_with_bit_identical_predictions_in_both_precisions()
    {
        Matrix<float> xf = RawFeatures<float>(9, 5);
        Matrix<double> xd = RawFeatures<double>(9, 6);
        Network<float> floats = Network.Sequential(3).Normalize(new StandardScaler<float>().Fit(xf)).Dense(4, Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        Network<double> doubles = Network.Sequential<double>(3).Normalize(new StandardScaler<double>().Fit(xd)).Dense(2).Build(Loss.MeanSquaredError, seed: 6);

        Network<float> floatsBack = Reload(floats);
        Network<double> doublesBack = Reload(doubles);

        floatsBack.Layers[0].Should().BeOfType<Normalization<float>>().Which.StandardDeviation.Should().Equal(((Normalization<float>)floats.Layers[0]).StandardDeviation);
        floatsBack.Predict(xf).ToColumnMajorArray().Should().Equal(floats.Predict(xf).ToColumnMajorArray());
        doublesBack.Predict(xd).ToColumnMajorArray().Should().Equal(doubles.Predict(xd).ToColumnMajorArray());
    }

    [Fact]
    public void The_registry_rebuilds_the_layer_from_its_configuration()
    {
        var layer = new Normalization<float>([0.1f, 2f], [3f, 0.7f]);

        ComponentConfig config = layer.GetConfig();
        Layer<float> rebuilt = ComponentRegistry.Layers.Create<float>("normalization", config);

        config.GetDoubles("mean").Should().Equal(0.1f, 2f);
        rebuilt.Should().BeOfType<Normalization<float>>().Which.Mean.Should().Equal(layer.Mean);
        ((Normalization<float>)rebuilt).StandardDeviation.Should().Equal(layer.StandardDeviation);
        ComponentRegistry.Layers.Names.Should().Contain("normalization");
    }

    [Fact]
    public void Bad_statistics_are_refused_naming_what_was_expected()
    {
        Action counts = () => _ = new Normalization<double>([1.0, 2.0], [1.0]);
        Action nan = () => _ = new Normalization<double>([double.NaN], [1.0]);
        Action negative = () => _ = new Normalization<float>([0f], [-1f]);
        Action width = () => Network.Sequential<double>(3).Normalize([0.0, 0.0], [1.0, 1.0]);
        Action unfitted = () => Network.Sequential<double>(3).Normalize(new StandardScaler<double>());
        Action wrongScaler = () => Network.Sequential<double>(2).Normalize(new MinMaxScaler<double>().Fit(Matrix<double>.Build.Dense(3, 4, (i, j) => i + j)));

        counts.Should().Throw<ArgumentException>().WithMessage("Normalization expects one standard deviation per mean, but got 2 mean values and 1 standard deviation values*");
        nan.Should().Throw<ArgumentException>().WithMessage("*finite mean values*feature 0's is NaN*");
        negative.Should().Throw<ArgumentException>().WithMessage("*at least 0*feature 0's is -1*");
        width.Should().Throw<ArgumentException>().WithMessage("Normalize after 3 outputs needs statistics for 3 features, but got 2*");
        unfitted.Should().Throw<ArgumentException>().WithMessage("Normalize needs a fitted scaler, but this StandardScaler has not been fitted*").And.ParamName.Should().Be("scaler");
        wrongScaler.Should().Throw<ArgumentException>().WithMessage("*needs statistics for 2 features, but the MinMaxScaler was fitted on 4*");
    }

    [Fact]
    public void A_model_file_whose_normalisation_statistics_are_not_finite_is_refused_as_a_format_error()
    {
        // Built through the registry's factory from a configuration as a hostile file would give it.
        ComponentConfig config = new ComponentConfig().Set("mean", [1e300]).Set("standard_deviation", [1.0]);

        Action asFloat = () => ComponentRegistry.Layers.Create<float>("normalization", config);

        asFloat.Should().Throw<ArgumentException>().WithMessage("*finite mean values*");
        ComponentRegistry.Layers.Create<double>("normalization", config).Should().BeOfType<Normalization<double>>();
    }

    private static Network<T> Reload<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        return Network.Load<T>(stream);
    }
}
