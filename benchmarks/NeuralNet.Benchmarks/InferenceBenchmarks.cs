using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Inference with the reference MLP 784 → 128 (ReLU) → 10 (softmax), float32, per backend: the latency of one
/// sample (<c>Predict(IReadOnlyList&lt;float&gt;)</c>) and the throughput of a 1,000-sample batch (<c>Predict(Matrix)</c>).
/// </summary>
/// <remarks>
/// A single sample is a one-row product, which the OpenBLAS backend hands to the managed kernel, so the two
/// backends should match there. Samples/s is the samples per invocation over the mean time.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class InferenceBenchmarks
{
    private const int BatchRows = 1000;

    private static readonly (int Inputs, int Outputs)[] Layers = [(784, 128), (128, 10)];

    private Network<float> _network = null!;
    private float[] _sample = null!;
    private Matrix<float> _batch = null!;

    /// <summary>The matrix backend: <c>managed</c>, and <c>openblas</c> when libopenblas loads.</summary>
    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    /// <summary>The backends available on this machine.</summary>
    public static IEnumerable<string> Backends => BenchmarkBackends.Available();

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkBackends.Use(Backend, 1, Layers, forwardOnly: true);
        BenchmarkBackends.Use(Backend, BatchRows, Layers, forwardOnly: true);
        _network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var random = new Random(1);
        _sample = Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray();
        _batch = Matrix<float>.Build.Dense(BatchRows, 784, (_, _) => (float)random.NextDouble());
    }

    /// <summary>Latency of one sample.</summary>
    [Benchmark]
    public float[] SingleSample() => _network.Predict(_sample);

    /// <summary>One batch of 1,000 samples.</summary>
    [Benchmark]
    public Matrix<float> Batch1000() => _network.Predict(_batch);

    /// <summary>Adds the samples-per-second column.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new RateColumn(
            "Samples/s",
            "Samples predicted per second: samples per invocation over the mean time",
            benchmarkCase => benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Batch1000) ? BatchRows : 1,
            1));
    }
}
