using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// An update rule is immutable hyper-parameters; each training keeps its own state for it. One rule object therefore
/// serves any number of trainings, one after the other or at the same time, each as if it had its own.
/// </summary>
public class SharedUpdateRuleTests
{
    [Fact]
    public async Task One_rule_shared_by_trainings_running_at_once_gives_each_the_result_of_its_own_rule()
    {
        var shared = new Adam(0.8, 0.99);
        Network<double>[] alone = [.. Enumerable.Range(0, 4).Select(Build)];
        for (int n = 0; n < alone.Length; n++)
        {
            Train(alone[n], new Adam(0.8, 0.99), n);
        }

        Network<double>[] together = [.. Enumerable.Range(0, 4).Select(Build)];
        await Task.WhenAll(together.Select((network, n) => Task.Run(() => Train(network, shared, n))));

        for (int n = 0; n < alone.Length; n++)
        {
            Weights(together[n]).Should().Equal(Weights(alone[n]), "training {0} must not see the others' state", n);
        }
    }

    [Fact]
    public void A_second_training_with_the_same_rule_starts_from_fresh_state()
    {
        var rule = new Momentum(0.9);
        Network<double> first = Build(0);
        Network<double> second = Build(0);
        Train(first, rule, 0);
        Train(second, rule, 0);

        Weights(second).Should().Equal(Weights(first), "the rule carried nothing from the first training into the second");
    }

    private static void Train(Network<double> network, UpdateRule rule, int seed)
    {
        var random = new Random(seed);
        Matrix<double> x = TestData.RandomMatrix(random, 40, 4);
        int[] labels = [.. Enumerable.Range(0, 40).Select(i => (x[i, 0] > 0 ? 1 : 0) + (x[i, 1] > 0 ? 1 : 0))];
        network.Fit(x, labels, new TrainingOptions { Epochs = 15, LearningRate = 0.01, UpdateRule = rule, GradientDescent = new MiniBatchGradientDescent(8), Seed = seed });
    }

    private static Network<double> Build(int seed)
        => Network.Sequential<double>(4).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 10 + seed);

    private static double[] Weights(Network<double> network) => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];
}
