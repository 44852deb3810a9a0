using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Onnx;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Serving the reference MLP (784 → 128 ReLU → 10 softmax, float32) two ways in one run: NeuralNet's
/// <c>Predict</c> and ONNX Runtime on the model <c>OnnxModel.Export</c> wrote, both on one thread, for one sample and
/// for a batch of 1,000. The ratio column says how ONNX Runtime's time compares with NeuralNet's.
/// </summary>
/// <remarks>
/// Both sides start from the samples already in memory and return a new output: NeuralNet a matrix, ONNX Runtime
/// an OrtValue over the input wrapped once in setup (what a server reusing its request buffer does).
/// </remarks>
[MemoryDiagnoser]
public class OnnxRuntimeComparisonBenchmarks : IDisposable
{
    private static readonly (int Inputs, int Outputs)[] Layers = [(784, 128), (128, 10)];

    private Network<float> _network = null!;
    private Matrix<float> _inputs = null!;
    private InferenceSession _session = null!;
    private SessionOptions _sessionOptions = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;

    /// <summary>Samples per call.</summary>
    [Params(1, 1000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkBackends.Use(MatrixBackend.Managed.Name, Rows, Layers, forwardOnly: true);
        MatrixBackend.ThreadCount = 1;
        _network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var random = new Random(1);
        _inputs = Matrix<float>.Build.Dense(Rows, 784, (_, _) => (float)random.NextDouble());

        _sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(OnnxModel.ExportToBytes(_network), _sessionOptions);
        _runOptions = new RunOptions();
        _input = OrtValue.CreateTensorValueFromMemory(_inputs.ToRowMajorArray(), [Rows, 784]);
    }

    /// <summary>Releases ONNX Runtime's native session and buffers after the runs.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the ONNX Runtime objects. (BenchmarkDotNet needs the class unsealed.)</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input?.Dispose();
            _runOptions?.Dispose();
            _session?.Dispose();
            _sessionOptions?.Dispose();
        }
    }

    /// <summary>NeuralNet's own prediction.</summary>
    [Benchmark(Baseline = true)]
    public Matrix<float> NeuralNetPredict() => _network.Predict(_inputs);

    /// <summary>ONNX Runtime on the exported model.</summary>
    [Benchmark]
    public float OnnxRuntimeRun()
    {
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, ["input"], [_input], ["output"]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }
}
