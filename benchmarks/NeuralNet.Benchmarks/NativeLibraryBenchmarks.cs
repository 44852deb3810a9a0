using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The candidate native libraries for NeuralNet's products, side by side with the managed kernel, on the three
/// products of the reference MLP's first layer (784 → 128) at batch sizes 32, 128 and 8000, on 1 and 2 threads. Every
/// library is called the way NeuralNet calls OpenBLAS: single-threaded, with NeuralNet splitting C's columns across
/// <see cref="MatrixBackend.ThreadCount"/> threads.
/// </summary>
/// <remarks>
/// <para>
/// <c>--filter '*NativeLibraryBenchmarks*'</c>. Each case runs in its own process, so OpenBLAS loads there with the
/// kernel the <see cref="Library"/> value names: <c>openblas:detected</c> (what OpenBLAS detects by itself; NeuralNet
/// keeps out of it), <c>openblas:SkylakeX</c> (what NeuralNet asks for on AVX-512 CPUs), <c>openblas:Haswell</c>
/// and <c>openblas:Prescott</c> (the SSE3 kernel OpenBLAS falls back to on CPUs it does not know).
/// <c>blis</c> is Debian's BLIS (<c>libblis4-serial</c>), which dispatches on the CPU by itself; <c>onednn</c> is
/// Debian's oneDNN (<c>libdnnl2</c>) <c>dnnl_sgemm</c>, run single-threaded through OpenMP. Libraries that are not
/// installed are left out.
/// </para>
/// <para>
/// Every case checks its product against MathNet's first (<see cref="BackendCheck"/>). GFLOPS is 2·m·n·k over the mean
/// time. Beta is 0 (overwrite), as in <see cref="MatrixProductBenchmarks"/>.
/// </para>
/// </remarks>
[Config(typeof(Configuration))]
public class NativeLibraryBenchmarks
{
    private const int Inputs = 784;
    private const int Outputs = 128;

    private ProductShape _shape;
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private MatrixBackend _backend = null!;

    /// <summary>Rows of the batch.</summary>
    [Params(32, 128, 8000)]
    public int BatchSize { get; set; }

    /// <summary>Which of the layer's products.</summary>
    [ParamsAllValues]
    public Product Product { get; set; }

    /// <summary>NeuralNet's thread count for the product.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The library and, for OpenBLAS, its kernel.</summary>
    [ParamsSource(nameof(Libraries))]
    public string Library { get; set; } = "managed";

    /// <summary>The libraries installed here.</summary>
    public static IEnumerable<string> Libraries() => NativeLibraries.Available();

    [GlobalSetup]
    public void Setup()
    {
        _backend = NativeLibraries.Load(Library);
        Console.WriteLine($"// {Library}: {_backend.Description}");
        _backend.ApplyThreadCount(Threads);
        MatrixBackend.ThreadCount = Threads;
        _shape = ProductShape.Of(Product, BatchSize, Inputs, Outputs);
        var random = new Random(1);
        _a = BackendCheck.Storage(BackendCheck.RandomMatrix(random, _shape.AShape));
        _b = BackendCheck.Storage(BackendCheck.RandomMatrix(random, _shape.BShape));
        _c = new float[_shape.M * _shape.N];
        BackendCheck.Verify(_backend, [_shape]);
    }

    /// <summary>One product, overwriting C.</summary>
    [Benchmark]
    public float[] Multiply()
    {
        ProductShape s = _shape;
        _backend.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, _a, _b, 0f, _c);
        return _c;
    }

    /// <summary>Adds the GFLOPS column.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(RateColumn.Gflops(Flops));

        private static double Flops(BenchmarkCase benchmarkCase)
            => ProductShape.Of(RateColumn.Parameter<Product>(benchmarkCase, nameof(Product)), RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize)), Inputs, Outputs).Flops;
    }
}
