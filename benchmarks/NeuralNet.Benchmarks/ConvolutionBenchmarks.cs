using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The two convolutions of samples/MnistCnn (1×28×28 → 8@5×5 and 8×12×12 → 16@5×5, ReLU), float32, on the default
/// backend at one and two threads: the training forward pass (im2col and one product), forward and backward together,
/// and, as the baseline im2col has to beat, a direct convolution (the textbook seven nested loops, run over the same
/// sample-major layout).
/// </summary>
/// <remarks>
/// GFLOPS counts the convolution's multiply-adds as 2 flops each: forward 2·N·P·F·C·k², forward and backward three
/// times that (the first layer's input gradient is computed here too), P the output positions.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class ConvolutionBenchmarks
{
    private Conv2D<float> _layer = null!;
    private Matrix<float> _input = null!;
    private Matrix<float> _upstream = null!;
    private float[] _direct = [];

    /// <summary>Which convolution: <c>conv1</c> or <c>conv2</c>.</summary>
    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "";

    /// <summary>Samples per step.</summary>
    [Params(32, 128)]
    public int BatchSize { get; set; }

    /// <summary>The backend's thread budget.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MatrixBackend.ThreadCount = Threads;
        Console.WriteLine($"// Backend {MatrixBackend.Current.Description}, {MatrixBackend.ThreadCount} thread(s).");
        _layer = Create(Layer);
        var random = new Random(1);
        foreach (Parameter<float> parameter in _layer.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                Storage(parameter.Value)[i] = (float)((random.NextDouble() * 2) - 1) * 0.2f;
            }
        }

        _input = Matrix<float>.Build.Dense(BatchSize, _layer.InputSize, (_, _) => (float)random.NextDouble());
        _upstream = Matrix<float>.Build.Dense(BatchSize, _layer.OutputSize, (_, _) => (float)(random.NextDouble() - 0.5));
        _direct = new float[BatchSize * _layer.OutputSize];
    }

    /// <summary>The training forward pass: im2col, one product, bias and ReLU.</summary>
    [Benchmark(Baseline = true)]
    public Matrix<float> Forward() => _layer.Forward(_input);

    /// <summary>Forward, then backward with the input gradient: two more products and col2im.</summary>
    [Benchmark]
    public Matrix<float> ForwardBackward()
    {
        _layer.Forward(_input);
        return _layer.Backward(_upstream);
    }

    /// <summary>The same forward pass as direct loops, one thread, without bias and ReLU.</summary>
    [Benchmark]
    public float[] DirectForward()
    {
        ImageShape input = _layer.InputShape;
        ImageShape output = _layer.OutputShape;
        float[] x = Storage(_input);
        float[] w = Storage(_layer.Weights.Value);
        int n = BatchSize;
        int k = _layer.Kernel;
        int window = input.Channels * k * k;
        for (int f = 0; f < output.Channels; f++)
        {
            for (int oh = 0; oh < output.Height; oh++)
            {
                for (int ow = 0; ow < output.Width; ow++)
                {
                    Span<float> y = _direct.AsSpan((((f * output.Height) + oh) * output.Width + ow) * n, n);
                    y.Clear();
                    for (int c = 0; c < input.Channels; c++)
                    {
                        for (int kh = 0; kh < k; kh++)
                        {
                            for (int kw = 0; kw < k; kw++)
                            {
                                float weight = w[(f * window) + (((c * k) + kh) * k) + kw];
                                ReadOnlySpan<float> run = x.AsSpan((((c * input.Height) + oh + kh) * input.Width + ow + kw) * n, n);
                                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(run, weight, y, y);
                            }
                        }
                    }
                }
            }
        }

        return _direct;
    }

    private static Conv2D<float> Create(string layer) => layer == "conv1"
        ? new Conv2D<float>(new ImageShape(1, 28, 28), 8, kernel: 5, activation: Activation.Relu)
        : new Conv2D<float>(new ImageShape(8, 12, 12), 16, kernel: 5, activation: Activation.Relu);

    private static float[] Storage(Matrix<float> matrix) => matrix.AsColumnMajorArray()!;

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(RateColumn.Gflops(Flops));

        private static double Flops(BenchmarkCase benchmarkCase)
        {
            Conv2D<float> layer = ConvolutionBenchmarks.Create(RateColumn.Parameter<string>(benchmarkCase, nameof(Layer)));
            double forward = 2.0 * RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize)) * layer.OutputSize * layer.Weights.Value.RowCount;
            return benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ForwardBackward) ? 3 * forward : forward;
        }
    }
}
