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
        => Create(Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1), rule, 0.1);

    /// <summary>A trainer of <paramref name="network"/> at learning rate 0.1 with <paramref name="rule"/>, in its first epoch.</summary>
    public static Trainer<float> Create(UpdateRule rule, Network<float> network) => Create(network, rule, 0.1);

    /// <summary>A trainer of <paramref name="network"/> at <paramref name="learningRate"/> with <paramref name="rule"/>, in its first epoch.</summary>
    public static Trainer<float> Create(Network<float> network, UpdateRule rule, double learningRate)
    {
        var trainer = new Trainer<float>(network, new TrainingOptions { LearningRate = learningRate, UpdateRule = rule }, new TrainingState<float>(new RandomSource(1)), null);
        _ = trainer.Start();
        trainer.BeginEpoch(CancellationToken.None);
        return trainer;
    }

    /// <summary>
    /// Fit's loop per batch over <paramref name="samples"/> random samples in memory: take the next batch (gathered
    /// from the samples in the epoch's shuffled order, or the whole set) and step on it; a new epoch starts when the
    /// last batch is taken.
    /// </summary>
    public static Func<float> Loop(int samples, int batchSize)
    {
        var random = new Random(1);
        var inputs = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(samples, 784, (_, _) => (float)random.NextDouble());
        var targets = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(samples, 10);
        for (int i = 0; i < samples; i++)
        {
            targets[i, random.Next(10)] = 1;
        }

        Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var options = new TrainingOptions { LearningRate = 0.1, UpdateRule = new Plain(), GradientDescent = new MiniBatchGradientDescent(batchSize) };
        var state = new TrainingState<float>(new RandomSource(1));
        var trainer = new Trainer<float>(network, options, state, null);
        _ = trainer.Start();
        trainer.BeginEpoch(CancellationToken.None);
        var batches = new InMemoryBatches<float>(inputs, targets, options.GradientDescent);
        IEnumerator<(MathNet.Numerics.LinearAlgebra.Matrix<float> Inputs, MathNet.Numerics.LinearAlgebra.Matrix<float> Targets)> epoch = batches.Epoch(state.Random).GetEnumerator();
        return () =>
        {
            if (!epoch.MoveNext())
            {
                epoch.Dispose();
                epoch = batches.Epoch(state.Random).GetEnumerator();
                epoch.MoveNext();
            }

            return trainer.Step(epoch.Current.Inputs, epoch.Current.Targets);
        };
    }
}
