using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>The convolutional networks the image export and round-trip tests run, with random weights and biases.</summary>
internal static class ImageArchitectures
{
    public static readonly string[] Names =
    [
        "issue-cnn-drop-edges",
        "stride2-same-average",
        "explicit-global-pool",
        "valid-average-drop-edges",
        "no-bias-silu-dropout",
        "gelu-same-stride1",
    ];

    public static Network<T> Build<T>(string name, int seed = 7)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = name switch
        {
            // The shape, smaller: 12 → 10 → 5 → 3, and a 2×2 pool that leaves the third row and column out.
            "issue-cnn-drop-edges" => Network.Sequential<T>(1, 12, 12)
                .Conv2D(4, kernel: 3, Activation.Relu).MaxPool2D(2)
                .Conv2D(6, kernel: 3, Activation.Relu).MaxPool2D(2, dropEdges: true)
                .Flatten().Dense(5).Build(Loss.SoftmaxCrossEntropy, seed),

            // 'same' with stride 2 and an even kernel pads 1 before and 2 after: 9 → 5.
            "stride2-same-average" => Network.Sequential<T>(3, 9, 9)
                .Conv2D(5, kernel: 4, Activation.Tanh, stride: 2, padding: Padding.Same)
                .AveragePool2D(2, stride: 1)
                .Flatten().Dense(4, Activation.Sigmoid).Build(Loss.MeanSquaredError, seed),

            // Explicit padding of 2 rows and 1 column with stride 2 (8 × 7 → 5 × 4, the last padded row unread), then 1 × 1.
            "explicit-global-pool" => Network.Sequential<T>(2, 8, 7)
                .Conv2D(8, kernel: 3, Activation.LeakyRelu(0.1), stride: 2, padding: Padding.Explicit(2, 1))
                .Conv2D(3, kernel: 1, Activation.Sigmoid)
                .GlobalAveragePool().Dense(3).Build(Loss.SoftmaxCrossEntropy, seed),

            // 10 → 6 → a 3×3 pool with stride 2 that leaves the last row and column out → 2.
            "valid-average-drop-edges" => Network.Sequential<T>(1, 10, 10)
                .Conv2D(3, kernel: 5, Activation.Elu(0.5))
                .AveragePool2D(3, stride: 2, dropEdges: true)
                .Flatten().Dense(6, Activation.Relu).Dense(2).Build(Loss.MeanSquaredError, seed),

            "no-bias-silu-dropout" => Network.Sequential<T>(4, 6, 6)
                .Conv2D(7, kernel: 3, Activation.Silu, padding: Padding.Explicit(1, 1), useBias: false)
                .Dropout(0.3).MaxPool2D(3)
                .Flatten().Dense(3).Build(Loss.SoftmaxCrossEntropy, seed),

            "gelu-same-stride1" => Network.Sequential<T>(2, 5, 5)
                .Conv2D(3, kernel: 2, Activation.Gelu, padding: Padding.Same)
                .Conv2D(2, kernel: 3, Activation.GeluTanh, padding: Padding.Same)
                .Flatten().Dense(2).Build(Loss.MeanSquaredError, seed),
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
}
