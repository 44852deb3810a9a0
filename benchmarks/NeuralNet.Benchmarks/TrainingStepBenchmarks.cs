using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step (forward, backward, plain update) of the reference MLP 784 → 128 (ReLU) → 10
/// (softmax + cross-entropy), float32, per batch size.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Network<float> _network = null!;
    private Matrix<float> _inputs = null!;
    private Matrix<float> _targets = null!;
    private readonly Plain _rule = new();

    /// <summary>Samples per step.</summary>
    [Params(1, 32, 128)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var random = new Random(1);
        _inputs = Matrix<float>.Build.Dense(BatchSize, 784, (_, _) => (float)random.NextDouble());
        _targets = Matrix<float>.Build.Dense(BatchSize, 10);
        for (int i = 0; i < BatchSize; i++)
        {
            _targets[i, random.Next(10)] = 1;
        }
    }

    [Benchmark]
    public float TrainingStep()
    {
        float loss = _network.Backpropagate(_inputs, _targets);
        foreach (Parameter<float> parameter in _network.Parameters)
        {
            _rule.Update(parameter, 0.1f);
        }

        return loss;
    }
}
