using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The six products of a training step of the reference MLP (784 → 128 → 10) at batch size B, on the managed kernel
/// and on OpenBLAS, each on 1 and 2 threads, with a GFLOPS column: exactly the shapes the workload runs.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Forward: <c>Z(B×out) = X(B×in)·W(in×out)</c>, A·B, m = B, n = out, k = in.</item>
/// <item>WeightGradient: <c>dW(in×out) = Xᵀ·dZ</c>, Aᵀ·B, m = in, n = out, k = B.</item>
/// <item>InputGradient: <c>dX(B×in) = dZ·Wᵀ</c>, A·Bᵀ, m = B, n = in, k = out (the 128 → 10 layer's is the
/// network's dA1; the 784 → 128 layer's is not needed for the first layer but is the product of any deeper one).</item>
/// </list>
/// Every product overwrites its result (beta = 0); the layers accumulate weight gradients (beta = 1), which differs
/// only by reading C. GFLOPS is 2·m·n·k over the mean time. The OpenBlas rows are left out when libopenblas is absent;
/// run with <c>OPENBLAS_CORETYPE=SkylakeX</c> (or the machine's own core) where OpenBLAS does not recognise the CPU.
/// Threads sets both backends' thread count (<see cref="MatrixBackend.ThreadCount"/>); OpenBLAS itself runs
/// single-threaded, its products split by columns between the threads.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class MatrixProductBenchmarks
{
    private ProductShape _shape;
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private MatrixBackend? _openBlas;

    /// <summary>Rows of the batch.</summary>
    [Params(1, 32, 128, 8000)]
    public int BatchSize { get; set; }

    /// <summary>Which layer of the MLP: <c>784→128</c> or <c>128→10</c>.</summary>
    [Params("784→128", "128→10")]
    public string Layer { get; set; } = "784→128";

    /// <summary>Which of the layer's products.</summary>
    [ParamsAllValues]
    public Product Product { get; set; }

    /// <summary>Threads the backend may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = Shape(Product, BatchSize, Layer);
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
    }

    /// <summary>NeuralNet's managed SIMD kernel.</summary>
    [Benchmark]
    public float[] Managed() => Multiply(MatrixBackend.Managed);

    /// <summary>OpenBLAS (single rows go to the managed kernel, as in the library).</summary>
    [Benchmark]
    public float[] OpenBlas() => Multiply(_openBlas!);

    private static ProductShape Shape(Product product, int batch, string layer) => layer switch
    {
        "784→128" => ProductShape.Of(product, batch, 784, 128),
        "128→10" => ProductShape.Of(product, batch, 128, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "Expected 784→128 or 128→10."),
    };

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
            AddColumn(RateColumn.Gflops(Flops));
            AddFilter(new SimpleFilter(benchmarkCase =>
                benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(OpenBlas) || MatrixBackend.OpenBlas is not null));
        }

        private static double Flops(BenchmarkCase benchmarkCase)
            => Shape(
                RateColumn.Parameter<Product>(benchmarkCase, nameof(Product)),
                RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize)),
                RateColumn.Parameter<string>(benchmarkCase, nameof(Layer))).Flops;
    }
}
