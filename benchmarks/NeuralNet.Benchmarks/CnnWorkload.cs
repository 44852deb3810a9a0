using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The CNN of the comparison's <c>cnn</c> workload (benchmarks/compare.sh --workload cnn) and of samples/MnistCnn:
/// 1×28×28 → conv 8@5×5 (ReLU) → max-pool 2 → conv 16@5×5 (ReLU) → max-pool 2 → flatten (256) → dense 10, softmax +
/// cross-entropy, float32; and what its convolutions compute.
/// </summary>
internal static class CnnWorkload
{
    /// <summary>Pixels per image: 1 channel of 28 × 28.</summary>
    public const int Features = 28 * 28;

    /// <summary>The workload's learning rate (plain gradient descent).</summary>
    public const double LearningRate = 0.05;

    /// <summary>A fresh network, its weights drawn from seed 1 with the builder's default initialisers.</summary>
    public static Network<float> Build() => Network.Sequential(channels: 1, height: 28, width: 28)
        .Conv2D(8, kernel: 5, Activation.Relu)
        .MaxPool2D(2)
        .Conv2D(16, kernel: 5, Activation.Relu)
        .MaxPool2D(2)
        .Flatten()
        .Dense(10)
        .Build(Loss.SoftmaxCrossEntropy, seed: 1);

    /// <summary>The network's convolutions, first to last (<c>conv1</c>, <c>conv2</c>).</summary>
    public static IReadOnlyList<Conv2D<float>> Convolutions(Network<float> network) => network.Layers.OfType<Conv2D<float>>().ToList();

    /// <summary>
    /// A convolution's products at <paramref name="batch"/> samples: im2col makes it a dense layer over P·batch rows
    /// (P output positions) from C·k·k inputs to F outputs, so forward is Cols(P·batch × C·k·k)·W(C·k·k × F), the
    /// weight gradient Colsᵀ·dZ and the input gradient dZ·Wᵀ.
    /// </summary>
    public static ProductShape Shape(Conv2D<float> conv, Product product, int batch)
        => ProductShape.Of(product, conv.OutputShape.Height * conv.OutputShape.Width * batch, conv.Weights.Value.RowCount, conv.Filters);

    /// <summary>
    /// The flops of one training step's convolution products at <paramref name="batch"/> samples: forward, weight
    /// gradient and input gradient (2·outputs·C·k·k per sample each), but no input gradient for the first layer.
    /// </summary>
    public static double StepConvolutionFlops(int batch)
    {
        Network<float> network = Build();
        return Convolutions(network)
            .Select(conv => Enum.GetValues<Product>()
                .Where(product => network.Layers[0] != conv || product != Product.InputGradient)
                .Sum(product => Shape(conv, product, batch).Flops))
            .Sum();
    }

    /// <summary>A batch of random pixels in [0, 1) and one-hot targets over 10 classes, drawn from seed 1.</summary>
    public static (Matrix<float> Inputs, Matrix<float> Targets) RandomBatch(int batch)
    {
        var random = new Random(1);
        Matrix<float> inputs = Matrix<float>.Build.Dense(batch, Features, (_, _) => (float)random.NextDouble());
        Matrix<float> targets = Matrix<float>.Build.Dense(batch, 10);
        for (int i = 0; i < batch; i++)
        {
            targets[i, random.Next(10)] = 1;
        }

        return (inputs, targets);
    }
}
