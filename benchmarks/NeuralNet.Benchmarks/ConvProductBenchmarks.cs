using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using NeuralNet.Backends;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The forward product of each convolution of the comparison's CNN (see <see cref="CnnWorkload"/>) alone, at batch 32
/// and 128, on the managed kernel and on OpenBLAS, each on 1 and 2 threads, with a GFLOPS column.
/// </summary>
/// <remarks>
/// After im2col a convolution's forward pass is one product, <c>Z(P·B × F) = Cols(P·B × C·k·k)·W(C·k·k × F)</c>, with P
/// the output positions: conv1 (1×28×28 → 8@5×5) is 18432×8×25 at batch 32, conv2 (8×12×12 → 16@5×5) is 2048×16×200.
/// Its few columns (F = 8 or 16) make it a tall, thin product, unlike the MLP's (see <see cref="MatrixProductBenchmarks"/>).
/// GFLOPS is 2·m·n·k over the mean time. im2col itself, bias and activation are not timed here; the layer as a whole is
/// in <see cref="CnnTrainingStepBenchmarks"/>. The OpenBlas rows are left out when libopenblas is absent.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class ConvProductBenchmarks
{
    private ProductShape _shape;
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private MatrixBackend? _openBlas;

    /// <summary>Samples in the batch.</summary>
    [Params(32, 128)]
    public int BatchSize { get; set; }

    /// <summary>Which convolution: <c>conv1</c> or <c>conv2</c>.</summary>
    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "conv1";

    /// <summary>Threads the backend may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = Shape(Layer, BatchSize);
        var random = new Random(1);
        _a = BackendCheck.Storage(BackendCheck.RandomMatrix(random, _shape.AShape));
        _b = BackendCheck.Storage(BackendCheck.RandomMatrix(random, _shape.BShape));
        _c = new float[_shape.M * _shape.N];
        _openBlas = MatrixBackend.OpenBlas;

        MatrixBackend.Managed.ApplyThreadCount(Threads);
        BackendCheck.Verify(MatrixBackend.Managed, [_shape]);
        if (_openBlas is not null)
        {
            _openBlas.ApplyThreadCount(Threads);
            BackendCheck.Verify(_openBlas, [_shape]);
        }

        Console.WriteLine($"// {Layer} forward: {_shape}");
    }

    /// <summary>NeuralNet's managed SIMD kernel.</summary>
    [Benchmark]
    public float[] Managed() => Multiply(MatrixBackend.Managed);

    /// <summary>OpenBLAS.</summary>
    [Benchmark]
    public float[] OpenBlas() => Multiply(_openBlas!);

    private static ProductShape Shape(string layer, int batch)
    {
        IReadOnlyList<Conv2D<float>> convolutions = CnnWorkload.Convolutions(CnnWorkload.Build());
        Conv2D<float> conv = layer switch
        {
            "conv1" => convolutions[0],
            "conv2" => convolutions[1],
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "Expected conv1 or conv2."),
        };
        return CnnWorkload.Shape(conv, Product.Forward, batch);
    }

    private float[] Multiply(MatrixBackend backend)
    {
        ProductShape s = _shape;
        backend.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, _a, _b, 0f, _c);
        return _c;
    }

    /// <summary>Adds the GFLOPS column and drops the OpenBLAS benchmark when libopenblas cannot be loaded.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddColumn(RateColumn.Gflops(benchmarkCase => Shape(
                RateColumn.Parameter<string>(benchmarkCase, nameof(Layer)),
                RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize))).Flops));
            AddFilter(new SimpleFilter(benchmarkCase =>
                benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(OpenBlas) || MatrixBackend.OpenBlas is not null));
        }
    }
}
