using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Backends;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step (forward, backward, plain update at learning rate 0.05) of the comparison's CNN (see
/// <see cref="CnnWorkload"/>), float32, at batch 32 and 128, per backend, on random pixels.
/// </summary>
/// <remarks>
/// Two forms of the step: the one <c>Fit</c> runs (the trainer's step, the plain rule fused into backpropagation) and a
/// user's loop (<see cref="Network{T}.Backpropagate"/>, then <see cref="ParameterUpdater{T}.Update"/>). Neither should
/// allocate once the buffers for the batch size exist. ConvGFLOPS counts the convolutions' products only (forward,
/// weight gradient, and input gradient for the second convolution, 2·outputs·C·k·k per sample each) over the mean
/// time of the whole step, which also holds im2col, col2im, pooling, the dense layer and the update.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class CnnTrainingStepBenchmarks
{
    private Network<float> _network = null!;
    private ParameterUpdater<float> _updater = null!;
    private Trainer<float> _fused = null!;
    private Matrix<float> _inputs = null!;
    private Matrix<float> _targets = null!;

    /// <summary>Samples per step.</summary>
    [Params(32, 128)]
    public int BatchSize { get; set; }

    /// <summary>The matrix backend: <c>managed</c>, and <c>openblas</c> when libopenblas loads.</summary>
    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    /// <summary>The backends available on this machine.</summary>
    public static IEnumerable<string> Backends => BenchmarkBackends.Available();

    [GlobalSetup]
    public void Setup()
    {
        Network<float> probe = CnnWorkload.Build();
        MatrixBackend backend = BenchmarkBackends.Get(Backend);
        BackendCheck.Verify(backend, CnnWorkload.Convolutions(probe)
            .SelectMany(conv => Enum.GetValues<Product>().Select(product => CnnWorkload.Shape(conv, product, BatchSize))));
        MatrixBackend.Current = backend;
        Console.WriteLine($"// Backend {backend.Description}, {MatrixBackend.ThreadCount} thread(s).");
        _network = CnnWorkload.Build();
        _updater = new ParameterUpdater<float>(new Plain(), _network.Parameters);
        _fused = FitStepper.Create(CnnWorkload.Build(), new Plain(), CnnWorkload.LearningRate);
        (_inputs, _targets) = CnnWorkload.RandomBatch(BatchSize);
    }

    /// <summary>The step <c>Fit</c> runs with the plain rule: the update fused into backpropagation.</summary>
    [Benchmark]
    public float FitStep() => _fused.Step(_inputs, _targets);

    /// <summary>The step as a user's own loop runs it: the public, checked backpropagation, then a plain update.</summary>
    [Benchmark]
    public float TrainingStep()
    {
        float loss = _network.Backpropagate(_inputs, _targets);
        _updater.Update((float)CnnWorkload.LearningRate);
        return loss;
    }

    /// <summary>Adds the ConvGFLOPS column.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new RateColumn(
            "ConvGFLOPS",
            "The convolutions' product flops of one step (forward, weight and input gradient; none for the first layer's input), in 10^9, over the mean time of the whole step",
            benchmarkCase => CnnWorkload.StepConvolutionFlops(RateColumn.Parameter<int>(benchmarkCase, nameof(BatchSize))),
            1e9));
    }
}
