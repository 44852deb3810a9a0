using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Backends;
using NeuralNet.Layers;
using NeuralNet.Tests.Backends;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// MaxPool2D, AveragePool2D, GlobalAveragePool and Flatten against PyTorch (Fixtures/pytorch/make_cnn_fixtures.py) and
/// central differences in float64; pooling is bit-identical at one and two threads.
/// </summary>
[Collection(BackendSettings.Name)]
public sealed class PoolingTests(ITestOutputHelper output) : IDisposable
{
    private readonly int _threads = MatrixBackend.ThreadCount;

    public void Dispose() => MatrixBackend.ThreadCount = _threads;

    public static TheoryData<string, string> FixtureCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string kind in new[] { "max_pool2d", "avg_pool2d" })
        {
            foreach (JsonNode? node in PyTorchReference.Cnn[kind]!.AsArray())
            {
                cases.Add(kind, node!["name"]!.GetValue<string>());
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Pooling_matches_pytorch(string kind, string name)
    {
        JsonNode c = PyTorchReference.Cnn[kind]!.AsArray().First(n => n!["name"]!.GetValue<string>() == name)!;
        var shape = new ImageShape(c["channels"]!.GetValue<int>(), c["height"]!.GetValue<int>(), c["width"]!.GetValue<int>());
        Layer<double> layer = Pool(kind, shape, c["size"]!.GetValue<int>(), c["stride"]!.GetValue<int>());
        Matrix<double> x = PyTorchReference.Matrix(c["input"]!);

        Matrix<double> y = layer.Forward(x);
        Matrix<double> dx = layer.Backward(PyTorchReference.Matrix(c["upstream"]!));

        double worst = Math.Max(LayerCheck.MaxDifference(y, PyTorchReference.Matrix(c["output"]!)), LayerCheck.MaxDifference(dx, PyTorchReference.Matrix(c["input_gradient"]!)));
        output.WriteLine($"{kind} {name}: largest difference from PyTorch {worst:E2}");
        worst.Should().BeLessThan(1e-13);
        layer.Infer(x).Should().Be(y, "inference computes what training computes");
    }

    [Fact]
    public void Global_average_pooling_matches_pytorch()
    {
        JsonNode c = PyTorchReference.Cnn["global_average_pool"]!;
        var layer = new GlobalAveragePool<double>(new ImageShape(c["channels"]!.GetValue<int>(), c["height"]!.GetValue<int>(), c["width"]!.GetValue<int>()));
        Matrix<double> x = PyTorchReference.Matrix(c["input"]!);

        Matrix<double> y = layer.Forward(x);
        Matrix<double> dx = layer.Backward(PyTorchReference.Matrix(c["upstream"]!));

        double worst = Math.Max(LayerCheck.MaxDifference(y, PyTorchReference.Matrix(c["output"]!)), LayerCheck.MaxDifference(dx, PyTorchReference.Matrix(c["input_gradient"]!)));
        output.WriteLine($"global_average_pool: largest difference from PyTorch {worst:E2}");
        worst.Should().BeLessThan(1e-13);
        layer.OutputSize.Should().Be(3);
    }

    public static TheoryData<string, int, int, int> GradientCases() => new()
    {
        { "max_pool2d", 1, 2, 2 },
        { "max_pool2d", 3, 3, 1 },
        { "max_pool2d", 2, 3, 2 },
        { "avg_pool2d", 1, 2, 2 },
        { "avg_pool2d", 3, 3, 1 },
        { "avg_pool2d", 2, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Pooling_gradients_match_central_differences(string kind, int channels, int size, int stride)
    {
        var random = new Random(31 + channels + size);
        Layer<double> layer = Pool(kind, new ImageShape(channels, 7, 7), size, stride);
        Matrix<double> x = TestData.RandomMatrix(random, 3, layer.InputSize);

        double error = LayerCheck.MaxError(layer, x, TestData.RandomMatrix(random, 3, layer.OutputSize));

        output.WriteLine($"{kind} {channels} channel(s), size {size}, stride {stride}: gradient-check error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Global_average_pooling_and_flatten_gradients_match_central_differences()
    {
        var random = new Random(4);
        var shape = new ImageShape(3, 4, 5);
        Matrix<double> x = TestData.RandomMatrix(random, 3, shape.Size);

        double pooled = LayerCheck.MaxError(new GlobalAveragePool<double>(shape), x, TestData.RandomMatrix(random, 3, 3));
        double flattened = LayerCheck.MaxError(new Flatten<double>(shape), x, TestData.RandomMatrix(random, 3, shape.Size));

        output.WriteLine($"global_average_pool: gradient-check error {pooled:E2}; flatten: {flattened:E2}");
        pooled.Should().BeLessThan(GradientCheck.Tolerance);
        flattened.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Fact]
    public void Flatten_passes_values_and_gradients_through_unchanged()
    {
        var layer = new Flatten<float>(new ImageShape(2, 3, 3));
        Matrix<float> x = TestData.RandomMatrix<float>(new Random(1), 4, 18);
        Matrix<float> upstream = TestData.RandomMatrix<float>(new Random(2), 4, 18);

        layer.Forward(x).Should().Be(x);
        layer.Backward(upstream).Should().Be(upstream);
        layer.Infer(x).Should().Be(x);
    }

    [Fact]
    public void The_first_of_equal_maxima_takes_the_gradient_as_in_pytorch()
    {
        var layer = new MaxPool2D<double>(new ImageShape(1, 2, 2), 2);
        Matrix<double> x = Matrix<double>.Build.DenseOfRowArrays([1.0, 3.0, 3.0, 2.0]);

        layer.Forward(x)[0, 0].Should().Be(3);
        layer.Backward(Matrix<double>.Build.DenseOfRowArrays([5.0])).Row(0).ToArray().Should().Equal(0, 5, 0, 0);
    }

    [Theory]
    [InlineData("max_pool2d")]
    [InlineData("avg_pool2d")]
    public void Pooling_is_bit_identical_at_one_and_two_threads(string kind)
    {
        var random = new Random(9);
        var shape = new ImageShape(8, 24, 24);
        Matrix<float> x = TestData.RandomMatrix<float>(random, 64, shape.Size);
        Matrix<float> upstream = TestData.RandomMatrix<float>(random, 64, 8 * 12 * 12);

        (float[] Y, float[] DX) Run(int threads)
        {
            MatrixBackend.ThreadCount = threads;
            Layer<float> layer = kind == "max_pool2d" ? new MaxPool2D<float>(shape, 2) : new AveragePool2D<float>(shape, 2);
            return (layer.Forward(x).ToColumnMajorArray(), layer.Backward(upstream).ToColumnMajorArray());
        }

        (float[] Y, float[] DX) one = Run(1);
        (float[] Y, float[] DX) two = Run(2);

        two.Y.Should().Equal(one.Y);
        two.DX.Should().Equal(one.DX);
    }

    private static Layer<double> Pool(string kind, ImageShape shape, int size, int stride)
        => kind == "max_pool2d"
            ? new MaxPool2D<double>(shape, size, stride, dropEdges: true)
            : new AveragePool2D<double>(shape, size, stride, dropEdges: true);
}
