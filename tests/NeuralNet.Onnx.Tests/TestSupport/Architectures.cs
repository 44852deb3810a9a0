using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>The networks every export test runs: each activation, each loss, deep and shallow, with random weights.</summary>
internal static class Architectures
{
    public static readonly string[] Names =
    [
        "relu-softmax-classifier",
        "tanh-sigmoid-binary",
        "leaky-regression",
        "sigmoid-single-layer",
        "softmax-hidden-tanh-mse",
        "deep-mixed",
    ];

    public static Network<T> Build<T>(string name, int seed = 7)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = name switch
        {
            "relu-softmax-classifier" => Network.Sequential<T>(12).Dense(16, Activation.Relu).Dense(5).Build(Loss.SoftmaxCrossEntropy, seed),
            "tanh-sigmoid-binary" => Network.Sequential<T>(6).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SigmoidBinaryCrossEntropy, seed),
            "leaky-regression" => Network.Sequential<T>(5).Dense(9, Activation.LeakyRelu(0.01)).Dense(7, Activation.LeakyRelu(0.3)).Dense(2).Build(Loss.MeanSquaredError, seed),
            "sigmoid-single-layer" => Network.Sequential<T>(4).Dense(3, Activation.Sigmoid).Build(Loss.MeanSquaredError, seed),
            "softmax-hidden-tanh-mse" => Network.Sequential<T>(7).Dense(6, Activation.Softmax).Dense(4, Activation.Tanh).Build(Loss.MeanSquaredError, seed),
            "deep-mixed" => Network.Sequential<T>(20).Dense(32, Activation.Relu).Dense(24, Activation.Tanh).Dense(16, Activation.LeakyRelu(0.05))
                .Dense(12, Activation.Sigmoid).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such architecture"),
        };

        // The initialisers draw biases as zeros: random biases make sure the exported bias is really added.
        var random = new Random(seed);
        foreach (Parameter<T> parameter in network.Parameters.Where(p => p.Name == "biases"))
        {
            parameter.Value.MapInplace(_ => T.CreateChecked((random.NextDouble() * 2) - 1));
        }

        return network;
    }

    /// <summary>A float network of <paramref name="layers"/> linear 1 → 1 layers, the smallest network of a given depth.</summary>
    public static Network<float> Deep(int layers)
    {
        NetworkBuilder<float> builder = Network.Sequential<float>(1);
        for (int l = 0; l < layers; l++)
        {
            builder = builder.Dense(1);
        }

        return builder.Build(Loss.MeanSquaredError, seed: 1);
    }

    /// <summary>Rows of standard normal values scaled by 2, so every activation sees both signs and its saturated tails.</summary>
    public static Matrix<T> Inputs<T>(int rows, int columns, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(2 * Normal(random)));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
