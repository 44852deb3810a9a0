using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>The step Fit runs, outside its epoch loop: a trainer of the reference MLP, in its first epoch, ready to step.</summary>
internal static class FitStepper
{
    /// <summary>A trainer of a fresh 784 → 128 (ReLU) → 10 network at learning rate 0.1 with <paramref name="rule"/>.</summary>
    public static Trainer<float> Create(UpdateRule rule)
    {
        Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var trainer = new Trainer<float>(network, new TrainingOptions { LearningRate = 0.1, UpdateRule = rule }, new TrainingState<float>(new RandomSource(1)), null);
        _ = trainer.Start();
        trainer.BeginEpoch(CancellationToken.None);
        return trainer;
    }
}
