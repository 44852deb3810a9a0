using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralNet.TorchSharpPeer;

/// <summary>
/// The networks of the comparison's workloads, initialised as NeuralNet's builder does by default and as
/// peers/reference_torch.py does: He uniform (U(±√(6/fan_in))) for the layers before a ReLU, Glorot uniform
/// (U(±√(6/(fan_in + fan_out)))) for the output layer, zero biases. A convolution's fans are C·k·k and F·k·k.
/// </summary>
internal static class Networks
{
    /// <summary>MLP <paramref name="features"/> → 128 (ReLU) → 10.</summary>
    public static Sequential Mlp(int features)
    {
        // The layers belong to the Sequential, which disposes them with itself.
        Linear hidden = nn.Linear(features, 128);
        Linear output = nn.Linear(128, 10);
        nn.init.kaiming_uniform_(hidden.weight, nonlinearity: nn.init.NonlinearityType.ReLU);
        nn.init.zeros_(hidden.bias);
        nn.init.xavier_uniform_(output.weight);
        nn.init.zeros_(output.bias);
        return nn.Sequential(("hidden", hidden), ("relu", nn.ReLU()), ("output", output));
    }

    /// <summary>1×28×28 → conv 8@5×5 (ReLU) → max-pool 2 → conv 16@5×5 (ReLU) → max-pool 2 → flatten (256) → 10.</summary>
    public static Sequential Cnn()
    {
        Conv2d conv1 = nn.Conv2d(1, 8, 5);
        Conv2d conv2 = nn.Conv2d(8, 16, 5);
        Linear output = nn.Linear(16 * 4 * 4, 10);
        nn.init.kaiming_uniform_(conv1.weight, nonlinearity: nn.init.NonlinearityType.ReLU);
        nn.init.zeros_(conv1.bias);
        nn.init.kaiming_uniform_(conv2.weight, nonlinearity: nn.init.NonlinearityType.ReLU);
        nn.init.zeros_(conv2.bias);
        nn.init.xavier_uniform_(output.weight);
        nn.init.zeros_(output.bias);
        return nn.Sequential(
            ("conv1", conv1), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", conv2), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("output", output));
    }
}
