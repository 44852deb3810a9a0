using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step (forward, backward, plain update) of the reference MLP 784 → 128 (ReLU) → 10
/// (softmax + cross-entropy), float32, per batch size and per backend.
/// </summary>
/// <remarks>
/// Three forms of the step: a user's loop (the public <see cref="Network{T}.Backpropagate"/>, which checks its
/// arguments, then <see cref="UpdateRule.Update{T}"/> on every parameter), the step <c>Fit</c> runs (the update fused
/// into backpropagation), and that step unfused. GFLOPS counts the step's
/// matrix products only: forward and weight gradient in both layers, input gradient in the second
/// (the first layer has no one to pass it to), 2·m·n·k each.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class TrainingStepBenchmarks
{
    private static readonly (int Inputs, int Outputs)[] Layers = [(784, 128), (128, 10)];

    private readonly Plain _rule = new();
    private Network<float> _network = null!;
    private IReadOnlyList<Parameter<float>> _parameters = null!;
    private Matrix<float> _inputs = null!;
    private Matrix<float> _targets = null!;

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
        _parameters = _network.Parameters;
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

        // Indexed, not foreach: enumerating the IReadOnlyList would allocate an enumerator here, in the benchmark.
        for (int i = 0; i < _parameters.Count; i++)
        {
            _rule.Update(_parameters[i], 0.1f);
        }

        return loss;
    }

    /// <summary>The step <c>Fit</c> runs with the plain rule and no weight decay: the update fused into backpropagation.</summary>
    [Benchmark]
    public float FitStep() => _network.BackpropagateAndDescend(_inputs, _targets, 0.1f);

    /// <summary>The same step unfused: backpropagation into the gradients, then a plain update of each parameter.</summary>
    [Benchmark]
    public float UnfusedFitStep()
    {
        float loss = _network.BackpropagateCore(_inputs, _targets);
        for (int i = 0; i < _parameters.Count; i++)
        {
            _rule.Update(_parameters[i], 0.1f);
        }

        return loss;
    }

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
