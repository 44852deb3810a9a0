using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step (forward, backward, plain update) of the reference MLP 784 → 128 (ReLU) → 10
/// (softmax + cross-entropy), float32, per batch size and per backend.
/// </summary>
/// <remarks>
/// Three forms of the step: a user's loop (the public <see cref="Network{T}.Backpropagate"/>, which checks its
/// arguments, then <see cref="ParameterUpdater{T}.Update"/>), the step <c>Fit</c> runs (the trainer's step, where the
/// plain rule fuses its update into backpropagation), and that same trainer step with the fusion turned off.
/// GFLOPS counts the step's
/// matrix products only: forward and weight gradient in both layers, input gradient in the second
/// (the first layer has no one to pass it to), 2·m·n·k each.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class TrainingStepBenchmarks
{
    private static readonly (int Inputs, int Outputs)[] Layers = [(784, 128), (128, 10)];

    private Network<float> _network = null!;
    private ParameterUpdater<float> _updater = null!;
    private Trainer<float> _fused = null!;
    private Trainer<float> _unfused = null!;
    private Matrix<float> _inputs = null!;
    private Matrix<float> _targets = null!;
    private Func<float> _fitLoop = null!;

    /// <summary>Samples per step.</summary>
    [Params(1, 32, 128, 8000)]
    public int BatchSize { get; set; }

    /// <summary>The matrix backend: <c>managed</c>, and <c>openblas</c> when libopenblas loads.</summary>
    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    /// <summary>The backends available on this machine.</summary>
    public static IEnumerable<string> Backends => BenchmarkBackends.Available();

    [GlobalSetup]
    public void Setup()
    {
        MatrixBackend backend = BenchmarkBackends.Use(Backend, BatchSize, Layers);
        Console.WriteLine($"// Backend {backend.Name}, {MatrixBackend.ThreadCount} thread(s).");
        _network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        _updater = new ParameterUpdater<float>(new Plain(), _network.Parameters);

        // Trainers stepping their own copies of the network, as Fit's epoch loop does between BeginEpoch and EndEpoch.
        _fused = FitStepper.Create(new Plain());
        _unfused = FitStepper.Create(new Plain(fuses: false));
        _fitLoop = FitStepper.Loop(8000, BatchSize);
        var random = new Random(1);
        _inputs = Matrix<float>.Build.Dense(BatchSize, 784, (_, _) => (float)random.NextDouble());
        _targets = Matrix<float>.Build.Dense(BatchSize, 10);
        for (int i = 0; i < BatchSize; i++)
        {
            _targets[i, random.Next(10)] = 1;
        }
    }

    /// <summary>The step as a user's own loop runs it: the public, checked backpropagation, then a plain update of each parameter.</summary>
    [Benchmark]
    public float TrainingStep()
    {
        float loss = _network.Backpropagate(_inputs, _targets);
        _updater.Update(0.1f);
        return loss;
    }

    /// <summary>The step <c>Fit</c> runs with the plain rule and no weight decay: the update fused into backpropagation.</summary>
    [Benchmark]
    public float FitStep() => _fused.Step(_inputs, _targets);

    /// <summary>The same trainer step with the fusion declined: backpropagation into the gradients, then the plain update.</summary>
    [Benchmark]
    public float UnfusedFitStep() => _unfused.Step(_inputs, _targets);

    /// <summary>What Fit runs per batch on 8,000 samples in memory: the batch's gather in the epoch's order, then the step.</summary>
    [Benchmark]
    public float FitBatch() => _fitLoop();


    /// <summary>The flops of one step's matrix products at <paramref name="batch"/> rows.</summary>
    internal static double StepFlops(int batch)
        => Layers.Select((layer, l) => ProductShape.OfLayer(batch, layer.Inputs, layer.Outputs)
                .Where(shape => l > 0 || shape.Product != Product.InputGradient)
                .Sum(shape => shape.Flops))
            .Sum();

    /// <summary>Adds the GFLOPS column.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(RateColumn.Gflops(benchmarkCase => StepFlops(RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize)))));
    }
}
