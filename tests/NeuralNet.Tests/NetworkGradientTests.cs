using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>Proves that Network&lt;double&gt;.Backpropagate fills every parameter with the exact gradient of ComputeLoss.</summary>
public class NetworkGradientTests
{
    private const int Samples = 6;

    // Keeps ReLU kinks further from every hidden pre-activation than a nudge of 1e-6 can move it.
    private const double KinkMargin = 1e-3;

    public static TheoryData<string> Networks => new(
        "3→5 tanh→4 relu→3, softmax cross-entropy",
        "4→6 leaky relu→2, sigmoid binary cross-entropy",
        "3→4 sigmoid→2 tanh, mean squared error");

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backpropagate_matches_central_differences_of_ComputeLoss_for_every_parameter(string description)
    {
        var random = new Random(8080);
        Network<double> network = Build(description);
        (Matrix<double> inputs, Matrix<double> targets) = Draw(network, random);

        network.Backpropagate(inputs, targets);
        Matrix<double>[] analytic = [.. network.Parameters.Select(parameter => parameter.Gradient.Clone())];

        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Parameter<double> parameter = network.Parameters[p];
            Matrix<double> numerical = GradientCheck.Numerical(() => network.ComputeLoss(inputs, targets), parameter.Value);
            GradientCheck.ShouldMatch(analytic[p], numerical, $"parameter {p} ({parameter}) of {description}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backpropagate_returns_ComputeLoss_and_starts_from_cleared_gradients(string description)
    {
        var random = new Random(515);
        Network<double> network = Build(description);
        (Matrix<double> inputs, Matrix<double> targets) = Draw(network, random);

        double loss = network.Backpropagate(inputs, targets);
        Matrix<double>[] first = [.. network.Parameters.Select(parameter => parameter.Gradient.Clone())];
        network.Backpropagate(inputs, targets);

        loss.Should().BeApproximately(network.ComputeLoss(inputs, targets), 1e-12);

        // A second pass must replace the gradients, not add to them.
        for (int p = 0; p < first.Length; p++)
        {
            first[p].Enumerate().Max(Math.Abs).Should().BeGreaterThan(1e-6, "parameter {0} must have a gradient for the comparison to mean anything", p);
            Matrix<double> second = network.Parameters[p].Gradient;
            for (int i = 0; i < second.RowCount; i++)
            {
                for (int j = 0; j < second.ColumnCount; j++)
                {
                    second[i, j].Should().BeApproximately(first[p][i, j], 1e-15, "parameter {0} at ({1}, {2})", p, i, j);
                }
            }
        }
    }

    private static Network<double> Build(string description)
    {
        // Random biases, so the checks also cover gradients taken away from b = 0.
        Initializer biases = Initializer.RandomNormal(0.5);
        return description switch
        {
            "3→5 tanh→4 relu→3, softmax cross-entropy" => Network.Sequential<double>(3)
                .Dense(5, Activation.Tanh, biasInitializer: biases)
                .Dense(4, Activation.Relu, biasInitializer: biases)
                .Dense(3, biasInitializer: biases)
                .Build(Loss.SoftmaxCrossEntropy, seed: 11),
            "4→6 leaky relu→2, sigmoid binary cross-entropy" => Network.Sequential<double>(4)
                .Dense(6, Activation.LeakyRelu(0.1), biasInitializer: biases)
                .Dense(2, biasInitializer: biases)
                .Build(Loss.SigmoidBinaryCrossEntropy, seed: 12),
            "3→4 sigmoid→2 tanh, mean squared error" => Network.Sequential<double>(3)
                .Dense(4, Activation.Sigmoid, biasInitializer: biases)
                .Dense(2, Activation.Tanh, biasInitializer: biases)
                .Build(Loss.MeanSquaredError, seed: 13),
            _ => throw new ArgumentOutOfRangeException(nameof(description), description, "Expected a known network."),
        };
    }

    /// <summary>Inputs whose ReLU pre-activations all keep clear of 0, and targets of the kind the network's loss expects.</summary>
    private static (Matrix<double> Inputs, Matrix<double> Targets) Draw(Network<double> network, Random random)
    {
        Matrix<double> targets = network.Loss switch
        {
            SoftmaxCrossEntropy => TestData.RandomOneHot(random, Samples, network.OutputSize),
            SigmoidBinaryCrossEntropy => Matrix<double>.Build.Dense(Samples, network.OutputSize, (_, _) => random.Next(2)),
            _ => TestData.RandomMatrix(random, Samples, network.OutputSize, limit: 0.9),
        };

        for (int attempt = 0; attempt < 100; attempt++)
        {
            Matrix<double> inputs = TestData.RandomMatrix(random, Samples, network.InputSize, limit: 1.5);
            if (ClearOfKinks(network, inputs))
            {
                return (inputs, targets);
            }
        }

        throw new InvalidOperationException("Could not draw inputs whose ReLU pre-activations keep clear of 0.");
    }

    private static bool ClearOfKinks(Network<double> network, Matrix<double> inputs)
    {
        Matrix<double> current = inputs;
        foreach (Dense<double> layer in network.Layers.Cast<Dense<double>>())
        {
            Matrix<double> z = GradientCheck.Affine(current, layer.Weights.Value, layer.Biases.Value);
            if (layer.Activation is Relu or LeakyRelu && z.Enumerate().Any(value => Math.Abs(value) <= KinkMargin))
            {
                return false;
            }

            current = layer.Activation.Apply(z);
        }

        return true;
    }
}
