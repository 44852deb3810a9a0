using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Layers;
using NeuralNet.Tests.Backends;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Conv2D against PyTorch's <c>F.conv2d</c> (Fixtures/pytorch/make_cnn_fixtures.py), against central differences in
/// float64 for every stride, padding mode and several channel counts, and bit-identical at one and two threads.
/// </summary>
[Collection(BackendSettings.Name)]
public sealed class Conv2DTests(ITestOutputHelper output) : IDisposable
{
    private readonly int _threads = MatrixBackend.ThreadCount;

    public void Dispose() => MatrixBackend.ThreadCount = _threads;

    public static TheoryData<string> FixtureCases()
    {
        var cases = new TheoryData<string>();
        foreach (JsonNode? node in PyTorchReference.Cnn["conv2d"]!.AsArray())
        {
            cases.Add(node!["name"]!.GetValue<string>());
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Output_and_gradients_match_pytorch(string name)
    {
        JsonNode c = PyTorchReference.Cnn["conv2d"]!.AsArray().First(n => n!["name"]!.GetValue<string>() == name)!;
        Conv2D<double> layer = FromFixture(c);
        Matrix<double> x = PyTorchReference.Matrix(c["input"]!);

        layer.OutputShape.Height.Should().Be(c["output_height"]!.GetValue<int>());
        layer.OutputShape.Width.Should().Be(c["output_width"]!.GetValue<int>());
        Matrix<double> y = layer.Forward(x);
        Matrix<double> dx = layer.Backward(PyTorchReference.Matrix(c["upstream"]!));

        double worst = Math.Max(LayerCheck.MaxDifference(y, PyTorchReference.Matrix(c["output"]!)), LayerCheck.MaxDifference(dx, PyTorchReference.Matrix(c["input_gradient"]!)));
        worst = Math.Max(worst, MaxDifference(layer.Weights.Gradient.ToColumnMajorArray(), PyTorchReference.Vector(c["weights_gradient"]!)));
        if (layer.Biases is not null)
        {
            worst = Math.Max(worst, MaxDifference(layer.Biases.Gradient.ToColumnMajorArray(), PyTorchReference.Vector(c["biases_gradient"]!)));
        }

        output.WriteLine($"conv2d {name}: largest difference from PyTorch {worst:E2}");
        worst.Should().BeLessThan(1e-12);
        LayerCheck.MaxDifference(layer.Infer(x), PyTorchReference.Matrix(c["output"]!)).Should().BeLessThan(1e-12, "inference computes what training computes");
    }

    public static TheoryData<int, int, string> GradientCases()
    {
        var cases = new TheoryData<int, int, string>();
        foreach (int stride in new[] { 1, 2 })
        {
            foreach (string padding in new[] { "valid", "same", "explicit" })
            {
                foreach (int channels in new[] { 1, 3 })
                {
                    cases.Add(stride, channels, padding);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Gradients_match_central_differences(int stride, int channels, string padding)
    {
        var random = new Random(17 + stride + channels);
        Padding pad = padding == "explicit" ? Padding.Explicit(1, 2) : padding == "same" ? Padding.Same : Padding.Valid;
        var layer = new Conv2D<double>(new ImageShape(channels, 7, 6), filters: 2, kernel: 3, stride, pad, Activation.Tanh);
        Randomize(layer, random);
        Matrix<double> x = TestData.RandomMatrix(random, 3, layer.InputSize);
        Matrix<double> upstream = TestData.RandomMatrix(random, 3, layer.OutputSize);

        double error = LayerCheck.MaxError(layer, x, upstream);

        output.WriteLine($"conv2d stride {stride}, {channels} channel(s), {padding}: gradient-check error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Gradients_without_bias_and_with_an_even_kernel_match_central_differences()
    {
        var random = new Random(5);
        var layer = new Conv2D<double>(new ImageShape(2, 5, 6), filters: 3, kernel: 2, stride: 1, Padding.Same, useBias: false);
        Randomize(layer, random);
        layer.Parameters.Should().ContainSingle();
        Matrix<double> x = TestData.RandomMatrix(random, 4, layer.InputSize);

        LayerCheck.MaxError(layer, x, TestData.RandomMatrix(random, 4, layer.OutputSize)).Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Same_padding_keeps_the_size_at_stride_one_and_divides_it_rounding_up_at_stride_two()
    {
        new Conv2D<float>(new ImageShape(1, 28, 28), 4, kernel: 5, padding: Padding.Same).OutputShape.Should().Be(new ImageShape(4, 28, 28));
        var strided = new Conv2D<float>(new ImageShape(1, 7, 8), 4, kernel: 3, stride: 2, padding: Padding.Same);
        strided.OutputShape.Should().Be(new ImageShape(4, 4, 4));
        strided.PaddingBefore.Should().Be((1, 0), "7 rows need 2 padding rows (1 above), 8 columns 1 (0 left), as TensorFlow's SAME");
    }

    [Fact]
    public void The_default_initialiser_draws_from_the_true_fan_in()
    {
        // He uniform for ReLU: U(−√(6/fanIn), √(6/fanIn)) with fanIn = channels·k·k = 3·5·5 = 75.
        Network<double> network = Network.Sequential<double>(3, 12, 12).Conv2D(64, kernel: 5, Activation.Relu).Flatten().Dense(2).Build(NeuralNet.Losses.Loss.SoftmaxCrossEntropy, seed: 3);
        double[] weights = network.Layers[0].Parameters[0].Value.ToColumnMajorArray();
        double limit = Math.Sqrt(6.0 / 75);

        weights.Max().Should().BeLessThanOrEqualTo(limit).And.BeGreaterThan(0.95 * limit);
        weights.Min().Should().BeGreaterThanOrEqualTo(-limit).And.BeLessThan(-0.95 * limit);
    }

    [Fact]
    public void Inference_in_blocks_of_samples_matches_the_training_pass()
    {
        // 1×28×28 with a 5×5 kernel: 576 positions × 25 values, so inference works through blocks of 291 samples.
        var random = new Random(8);
        var layer = new Conv2D<double>(new ImageShape(1, 28, 28), 3, kernel: 5, activation: Activation.Relu);
        Randomize(layer, random);
        Matrix<double> x = TestData.RandomMatrix(random, 700, layer.InputSize);

        Matrix<double> inferred = layer.Infer(x);
        Matrix<double> trained = layer.Forward(x);

        LayerCheck.MaxDifference(inferred, trained).Should().BeLessThan(1e-13);
    }

    [Fact]
    public void Forward_and_backward_are_bit_identical_at_one_and_two_threads()
    {
        var random = new Random(21);
        var shape = new ImageShape(4, 12, 12);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 96, shape.Size);
        Matrix<float> upstream = TestData.RandomMatrix<float>(random, 96, 8 * 12 * 12);

        (float[] Y, float[] DX, float[] DW) Run(int threads)
        {
            MatrixBackend.ThreadCount = threads;
            var layer = new Conv2D<float>(shape, 8, kernel: 3, padding: Padding.Same, activation: Activation.Relu);
            Randomize(layer, new Random(2));
            float[] y = layer.Forward(x).ToColumnMajorArray();
            float[] dx = layer.Backward(upstream).ToColumnMajorArray();
            return (y, dx, layer.Weights.Gradient.ToColumnMajorArray());
        }

        (float[] Y, float[] DX, float[] DW) one = Run(1);
        (float[] Y, float[] DX, float[] DW) two = Run(2);

        two.Y.Should().Equal(one.Y);
        two.DX.Should().Equal(one.DX);
        two.DW.Should().Equal(one.DW);
    }

    private static Conv2D<double> FromFixture(JsonNode c)
    {
        string padding = c["padding"]!.GetValue<string>();
        var layer = new Conv2D<double>(
            new ImageShape(c["channels"]!.GetValue<int>(), c["height"]!.GetValue<int>(), c["width"]!.GetValue<int>()),
            c["filters"]!.GetValue<int>(),
            c["kernel"]!.GetValue<int>(),
            c["stride"]!.GetValue<int>(),
            padding == "valid" ? Padding.Valid : padding == "same" ? Padding.Same : Padding.Explicit(c["padding_rows"]!.GetValue<int>(), c["padding_columns"]!.GetValue<int>()),
            useBias: c["bias"]!.GetValue<bool>());

        // PyTorch's [filters, channels, k, k] weights, flattened, are the column-major storage of (C·k·k) × filters.
        PyTorchReference.Vector(c["weights"]!).CopyTo(layer.Weights.Value.AsColumnMajorArray()!, 0);
        if (layer.Biases is not null)
        {
            PyTorchReference.Vector(c["biases"]!).CopyTo(layer.Biases.Value.AsColumnMajorArray()!, 0);
        }

        return layer;
    }

    private static void Randomize<T>(Conv2D<T> layer, Random random)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> parameter in layer.Parameters)
        {
            TestData.RandomMatrix<T>(random, parameter.Value.RowCount, parameter.Value.ColumnCount, 0.5).CopyTo(parameter.Value);
        }
    }

    private static double MaxDifference(double[] actual, double[] expected)
    {
        actual.Should().HaveSameCount(expected);
        return actual.Zip(expected, PyTorchReference.Difference).Max();
    }
}
