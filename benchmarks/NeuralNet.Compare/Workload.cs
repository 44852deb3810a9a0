using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Compare;

/// <summary>
/// A workload of the side-by-side comparison: the network every system trains and its learning rate (plain gradient
/// descent, no momentum). The peers build the same networks (benchmarks/peers/reference_torch.py,
/// benchmarks/NeuralNet.TorchSharpPeer).
/// </summary>
internal sealed record Workload(string Name, double LearningRate)
{
    /// <summary>MLP 784 → 128 (ReLU) → 10, learning rate 0.1: the reference workload.</summary>
    public static readonly Workload Mlp = new("mlp", 0.1);

    /// <summary>
    /// The small CNN of samples/MnistCnn, learning rate 0.05: 1×28×28 → conv 8@5×5 (ReLU) → max-pool 2 → conv 16@5×5
    /// (ReLU) → max-pool 2 → flatten (256) → dense 10.
    /// </summary>
    public static readonly Workload Cnn = new("cnn", 0.05);

    /// <summary>The workload called <paramref name="name"/> (<c>mlp</c> or <c>cnn</c>, any case).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static Workload Parse(string name) => name.ToUpperInvariant() switch
    {
        "MLP" => Mlp,
        "CNN" => Cnn,
        _ => throw new ArgumentException($"Expected --workload mlp or cnn, but got '{name}'."),
    };

    /// <summary>
    /// The network, float32, with the builder's default initialisers (He uniform before a ReLU, Glorot uniform for the
    /// output layer, zero biases) drawn from <paramref name="seed"/>.
    /// </summary>
    /// <param name="features">The features of a sample: 784 (28 × 28 pixels) for the CNN.</param>
    /// <param name="seed">Seeds the initial weights.</param>
    /// <exception cref="ArgumentException">The CNN is asked for with another feature count than 28 × 28.</exception>
    public Network<float> Build(int features, int seed)
    {
        if (this == Mlp)
        {
            return Network.Sequential(features)
                .Dense(128, Activation.Relu)
                .Dense(10)
                .Build(Loss.SoftmaxCrossEntropy, seed: seed);
        }

        if (features != 28 * 28)
        {
            throw new ArgumentException($"The cnn workload expects 28×28 = 784 pixels per image, but the data has {features} features.", nameof(features));
        }

        return Network.Sequential(channels: 1, height: 28, width: 28)
            .Conv2D(8, kernel: 5, Activation.Relu)
            .MaxPool2D(2)
            .Conv2D(16, kernel: 5, Activation.Relu)
            .MaxPool2D(2)
            .Flatten()
            .Dense(10)
            .Build(Loss.SoftmaxCrossEntropy, seed: seed);
    }

    /// <summary>
    /// The floating-point operations of one sample's convolution products in a training step, counted from the
    /// network's <see cref="Conv2D{T}"/> layers: forward, weight gradient and input gradient, 2·outputs·C·k·k each,
    /// except the first layer's input gradient, which nobody needs. Zero for a network without convolutions.
    /// </summary>
    public static double ConvolutionFlopsPerSample(Network<float> network)
    {
        double flops = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is Conv2D<float> conv)
            {
                double product = 2.0 * conv.OutputSize * conv.Weights.Value.RowCount;
                flops += (i == 0 ? 2 : 3) * product;
            }
        }

        return flops;
    }
}
