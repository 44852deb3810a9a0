using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>Inverted dropout: training-mode masks from the training's generator, the identity in inference mode.</summary>
public class DropoutTests(ITestOutputHelper output)
{
    [Fact]
    public void Inference_is_the_identity_and_training_keeps_values_scaled_by_one_over_one_minus_the_rate()
    {
        var layer = new Dropout<double>(6, 0.25);
        Matrix<double> x = TestData.RandomMatrix(new Random(1), 400, 6, 2);

        layer.Infer(x).Should().Be(x);
        Matrix<double> y = layer.Forward(x, new TrainingContext(new RandomSource(4)));
        int dropped = 0;
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                if (y[i, j] == 0)
                {
                    dropped++;
                }
                else
                {
                    y[i, j].Should().Be(x[i, j] * (1 / 0.75));
                }
            }
        }

        // 2400 draws with p = 0.25: the count's standard deviation is about 21, so ±100 is over 4.5 of them.
        dropped.Should().BeInRange(600 - 100, 600 + 100);
    }

    [Fact]
    public void Masks_follow_the_context_generator()
    {
        var layer = new Dropout<double>(5, 0.5);
        Matrix<double> x = Matrix<double>.Build.Dense(8, 5, 1.0);
        Matrix<double> a = layer.Forward(x, new TrainingContext(new RandomSource(9))).Clone();
        Matrix<double> b = layer.Forward(x, new TrainingContext(new RandomSource(9))).Clone();
        Matrix<double> c = layer.Forward(x, new TrainingContext(new RandomSource(10))).Clone();

        b.Should().Be(a, "the same generator state draws the same mask");
        c.Should().NotBe(a, "another state draws another mask");
    }

    [Fact]
    public void Gradient_check_with_a_fixed_mask()
    {
        var layer = new Dropout<double>(4, 0.3);
        Matrix<double> x = TestData.RandomMatrix(new Random(2), 6, 4);
        Matrix<double> upstream = TestData.RandomMatrix(new Random(3), 6, 4);

        double error = LayerCheck.MaxError(layer, x, upstream);

        output.WriteLine($"dropout gradient check: max relative error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Matches_pytorch_for_a_given_mask()
    {
        var fixture = PyTorchReference.Layers["dropout"]!;
        double rate = fixture["rate"]!.GetValue<double>();
        Matrix<double> keep = PyTorchReference.Matrix(fixture["keep"]!);
        Matrix<double> x = PyTorchReference.Matrix(PyTorchReference.Layers["input"]!);
        Matrix<double> upstream = PyTorchReference.Matrix(PyTorchReference.Layers["upstream"]!);

        var layer = new Dropout<double>(4, rate);
        Matrix<double> y = layer.Forward(x, new TrainingContext(new RandomSource(6))).Clone();
        Matrix<double> dx = layer.Backward(upstream);
        Matrix<double> torchY = PyTorchReference.Matrix(fixture["output"]!);
        Matrix<double> torchDx = PyTorchReference.Matrix(fixture["input_gradient"]!);

        // The layer draws its own mask: where both keep a value they must agree, and what the layer drops is 0.
        double difference = 0;
        int both = 0;
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                bool kept = y[i, j] != 0;
                if (!kept)
                {
                    dx[i, j].Should().Be(0, "a dropped value passes no gradient");
                }
                else if (keep[i, j] != 0)
                {
                    both++;
                    difference = Math.Max(difference, Math.Max(PyTorchReference.Difference(y[i, j], torchY[i, j]), PyTorchReference.Difference(dx[i, j], torchDx[i, j])));
                }
            }
        }

        output.WriteLine($"dropout vs PyTorch: {both} values kept by both, largest difference {difference:E2}");
        both.Should().BeGreaterThan(3, "the check must compare something");
        difference.Should().BeLessThan(1e-15);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_rate_outside_zero_to_one_is_refused_with_the_value(double rate)
    {
        Action layer = () => _ = new Dropout<double>(3, rate);
        Action builder = () => Network.Sequential<double>(3).Dropout(rate);

        string shown = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        layer.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*[0, 1)*{shown}*").Which.ParamName.Should().Be("rate");
        builder.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*[0, 1)*{shown}*");
    }

    [Fact]
    public void A_network_with_dropout_predicts_without_it()
    {
        Network<double> network = Network.Sequential<double>(3).Dense(5).Dropout(0.5).Dense(2).Build(Loss.MeanSquaredError, seed: 4);
        Matrix<double> x = TestData.RandomMatrix(new Random(5), 7, 3);
        Matrix<double> manual = network.Layers[2].Infer(network.Layers[0].Infer(x));

        network.Layers[1].Should().BeOfType<Dropout<double>>();
        network.Predict(x).Should().Be(manual);
    }
}
