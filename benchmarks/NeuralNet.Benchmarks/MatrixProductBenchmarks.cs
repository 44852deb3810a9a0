using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The three products of the reference MLP's first dense layer (784 → 128) at batch size B, on each backend's kernel
/// and, as the baseline, on MathNet.Numerics' own product (its default managed provider, left unchanged).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Forward: <c>Z(B×128) = X(B×784)·W(784×128)</c>, MathNet <c>X.Multiply(W, Z)</c>.</item>
/// <item>WeightGradient: <c>dW(784×128) = Xᵀ·dZ(B×128)</c>, MathNet <c>X.TransposeThisAndMultiply(dZ, dW)</c>.</item>
/// <item>InputGradient: <c>dX(B×784) = dZ·Wᵀ</c>, MathNet <c>dZ.TransposeAndMultiply(W, dX)</c>.</item>
/// </list>
/// Every product overwrites its result (beta = 0) so the three columns do the same work; the layer itself accumulates
/// the weight gradient (beta = 1), which only skips clearing dW. Ratio is each kernel's time over MathNet's; GFLOPS is
/// 2·m·n·k (= 2·B·784·128 for all three) over the mean time. The OpenBlas column is left out when libopenblas is absent.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class MatrixProductBenchmarks
{
    private const int Inputs = 784;
    private const int Outputs = 128;

    private ProductShape _shape;
    private Matrix<float> _a = null!;
    private Matrix<float> _b = null!;
    private Matrix<float> _c = null!;
    private float[] _aValues = null!;
    private float[] _bValues = null!;
    private float[] _cValues = null!;
    private MatrixBackend? _openBlas;

    /// <summary>Rows of the batch.</summary>
    [Params(1, 32, 128)]
    public int BatchSize { get; set; }

    /// <summary>Which of the layer's products.</summary>
    [ParamsAllValues]
    public Product Product { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = ProductShape.Of(Product, BatchSize, Inputs, Outputs);
        var random = new Random(1);
        _a = BackendCheck.RandomMatrix(random, _shape.AShape);
        _b = BackendCheck.RandomMatrix(random, _shape.BShape);
        _c = Matrix<float>.Build.Dense(_shape.M, _shape.N);
        _aValues = BackendCheck.Storage(_a);
        _bValues = BackendCheck.Storage(_b);
        _cValues = BackendCheck.Storage(_c);
        _openBlas = MatrixBackend.OpenBlas;

        BackendCheck.Verify(MatrixBackend.Managed, [_shape]);
        if (_openBlas is not null)
        {
            BackendCheck.Verify(_openBlas, [_shape]);
        }
    }

    /// <summary>MathNet.Numerics' own product into a preallocated result.</summary>
    [Benchmark(Baseline = true)]
    public Matrix<float> MathNet()
    {
        switch (Product)
        {
            case Product.Forward:
                _a.Multiply(_b, _c);
                break;
            case Product.WeightGradient:
                _a.TransposeThisAndMultiply(_b, _c);
                break;
            default:
                _a.TransposeAndMultiply(_b, _c);
                break;
        }

        return _c;
    }

    /// <summary>NeuralNet's managed SIMD kernel.</summary>
    [Benchmark]
    public float[] Managed() => Multiply(MatrixBackend.Managed);

    /// <summary>OpenBLAS (single rows go to the managed kernel, as in the library).</summary>
    [Benchmark]
    public float[] OpenBlas() => Multiply(_openBlas!);

    private float[] Multiply(MatrixBackend backend)
    {
        ProductShape s = _shape;
        backend.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, _aValues, _bValues, 0f, _cValues);
        return _cValues;
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
            => ProductShape.Of(RateColumn.Parameter<Product>(benchmarkCase, nameof(Product)), RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize)), Inputs, Outputs).Flops;
    }
}
