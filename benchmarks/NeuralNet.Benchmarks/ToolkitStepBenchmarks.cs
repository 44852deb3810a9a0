using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// What dropout and batch normalisation add to the step Fit runs: the reference MLP 784 → 128 (ReLU) → 10
/// (softmax + cross-entropy), float32, plain update, with nothing, a <c>Dropout(0.3)</c> or a
/// <c>BatchNormalization</c> after the hidden layer, on one thread.
/// </summary>
/// <remarks>
/// Each case is <see cref="TrainingStepBenchmarks.FitStep"/>'s trainer step (forward and backward in training mode,
/// then the update) on a fixed random batch, on the default backend; the plain network is the baseline, so the ratio
/// column is the time each layer adds, and the memory diagnoser shows that neither allocates per step once its buffers
/// exist. One thread, because the layers' own work is element by element on the calling thread, and a shared machine's
/// other work scatters two-thread products more.
/// </remarks>
[MemoryDiagnoser]
public class ToolkitStepBenchmarks
{
    private Trainer<float> _plain = null!;
    private Trainer<float> _dropout = null!;
    private Trainer<float> _batchNorm = null!;
    private Matrix<float> _inputs = null!;
    private Matrix<float> _targets = null!;

    /// <summary>Samples per step.</summary>
    [Params(32, 128)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MatrixBackend.ThreadCount = 1;
        Console.WriteLine($"// Backend {MatrixBackend.Current.Name}, {MatrixBackend.ThreadCount} thread(s).");
        _plain = FitStepper.Create(new Plain(), Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1));
        _dropout = FitStepper.Create(new Plain(), Network.Sequential(784).Dense(128, Activation.Relu).Dropout(0.3).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1));
        _batchNorm = FitStepper.Create(new Plain(), Network.Sequential(784).Dense(128, Activation.Relu).BatchNormalization().Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1));
        var random = new Random(1);
        _inputs = Matrix<float>.Build.Dense(BatchSize, 784, (_, _) => (float)random.NextDouble());
        _targets = Matrix<float>.Build.Dense(BatchSize, 10);
        for (int i = 0; i < BatchSize; i++)
        {
            _targets[i, random.Next(10)] = 1;
        }
    }

    /// <summary>The plain Dense step, the baseline.</summary>
    [Benchmark(Baseline = true)]
    public float Dense() => _plain.Step(_inputs, _targets);

    /// <summary>The same step with dropout after the hidden layer: a mask drawn per value, applied forward and backward.</summary>
    [Benchmark]
    public float WithDropout() => _dropout.Step(_inputs, _targets);

    /// <summary>The same step with batch normalisation after the hidden layer, in training mode (the batch's statistics).</summary>
    [Benchmark]
    public float WithBatchNormalization() => _batchNorm.Step(_inputs, _targets);
}
