using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

public class ReproducibilityTests
{
    /// <summary>Every gradient descent with every update rule, plus weight decay (which turns off the fused plain step).</summary>
    public static TheoryData<string, string> DescentsAndRules()
    {
        var data = new TheoryData<string, string>();
        foreach (string descent in new[] { "bgd", "sgd", "mbgd" })
        {
            foreach (string rule in new[] { "plain", "momentum", "nesterov", "rmsprop", "adam", "plain+decay" })
            {
                data.Add(descent, rule);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DescentsAndRules))]
    public void Same_seeds_give_bit_identical_weights_after_training(string descentName, string ruleName)
    {
        (Matrix<double> x, int[] labels) = SmallClassification(new Random(2024));

        Network<double> first = NewNetwork(initSeed: 5);
        TrainingHistory firstHistory = first.Fit(x, labels, Options(descentName, ruleName, trainingSeed: 9));
        Network<double> second = NewNetwork(initSeed: 5);
        TrainingHistory secondHistory = second.Fit(x, labels, Options(descentName, ruleName, trainingSeed: 9));

        AllValues(second).Should().Equal(AllValues(first));
        secondHistory.Epochs.Select(e => e.Loss).Should().Equal(firstHistory.Epochs.Select(e => e.Loss));

        // Guards against a vacuous pass where training changed nothing.
        AllValues(first).Should().NotEqual(AllValues(NewNetwork(initSeed: 5)));
    }

    [Fact]
    public void Same_seeds_give_bit_identical_weights_in_float_too()
    {
        (Matrix<double> x, int[] labels) = SmallClassification(new Random(7));
        Matrix<float> xf = x.Map(v => (float)v);

        Network<float> first = Network.Sequential(2).Dense(4, Activation.Relu).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        first.Fit(xf, labels, Options("mbgd", "adam", trainingSeed: 9));
        Network<float> second = Network.Sequential(2).Dense(4, Activation.Relu).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        second.Fit(xf, labels, Options("mbgd", "adam", trainingSeed: 9));

        second.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Should()
            .Equal(first.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("mbgd")]
    public void A_different_training_seed_gives_different_weights_when_the_descent_shuffles(string descentName)
    {
        (Matrix<double> x, int[] labels) = SmallClassification(new Random(31));

        Network<double> first = NewNetwork(initSeed: 5);
        first.Fit(x, labels, Options(descentName, "plain", trainingSeed: 1));
        Network<double> second = NewNetwork(initSeed: 5);
        second.Fit(x, labels, Options(descentName, "plain", trainingSeed: 2));

        AllValues(second).Should().NotEqual(AllValues(first));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("adam")]
    public void Batch_descent_does_not_depend_on_the_training_seed(string ruleName)
    {
        (Matrix<double> x, int[] labels) = SmallClassification(new Random(31));

        Network<double> first = NewNetwork(initSeed: 5);
        first.Fit(x, labels, Options("bgd", ruleName, trainingSeed: 1));
        Network<double> second = NewNetwork(initSeed: 5);
        second.Fit(x, labels, Options("bgd", ruleName, trainingSeed: 2));

        AllValues(second).Should().Equal(AllValues(first));
    }

    [Fact]
    public void A_different_init_seed_gives_different_initial_weights()
    {
        // Compare weights only: biases start at zero whatever the seed.
        Weights(NewNetwork(initSeed: 2)).Should().NotEqual(Weights(NewNetwork(initSeed: 1)));
        Weights(NewNetwork(initSeed: 1)).Should().Equal(Weights(NewNetwork(initSeed: 1)));
    }

    [Fact]
    public void Initialize_with_the_build_seed_restores_the_initial_weights_after_training()
    {
        (Matrix<double> x, int[] labels) = SmallClassification(new Random(12));
        Network<double> network = NewNetwork(initSeed: 8);
        double[] initial = AllValues(network);

        network.Fit(x, labels, Options("mbgd", "plain", trainingSeed: 0));
        AllValues(network).Should().NotEqual(initial);

        network.Initialize(8);
        AllValues(network).Should().Equal(initial);
    }

    private static Network<double> NewNetwork(int initSeed)
        => Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, initSeed);

    private static TrainingOptions Options(string descentName, string ruleName, int trainingSeed) => new()
    {
        Epochs = 5,
        LearningRate = 0.05,
        GradientDescent = Named.Descent(descentName, miniBatchSize: 3),

        // A fresh rule per run: a shared instance would carry state from one run into the next.
        UpdateRule = Named.Rule(ruleName == "plain+decay" ? "plain" : ruleName),
        WeightDecay = ruleName == "plain+decay" ? 0.01 : 0,
        Seed = trainingSeed,
    };

    private static double[] AllValues<T>(Network<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray()).Select(v => double.CreateChecked(v))];

    private static double[] Weights(Network<double> network)
        => [.. network.Parameters.Where(p => p.Name == "weights").SelectMany(p => p.Value.ToColumnMajorArray())];

    /// <summary>Ten points labelled by the sign of x₀ + x₁, with 10 = 3 + 3 + 3 + 1 so mini-batches include a partial one.</summary>
    private static (Matrix<double> X, int[] Labels) SmallClassification(Random random)
    {
        Matrix<double> x = TestData.RandomMatrix(random, 10, 2);
        int[] labels = [.. Enumerable.Range(0, 10).Select(i => x[i, 0] + x[i, 1] > 0 ? 1 : 0)];
        return (x, labels);
    }
}
