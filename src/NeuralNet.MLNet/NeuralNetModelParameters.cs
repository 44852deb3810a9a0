using NeuralNet.Training;

namespace NeuralNet.MLNet;

/// <summary>What a NeuralNet trainer learned: the network, its training history, and the ONNX model ML.NET scores with.</summary>
/// <remarks>
/// The pipeline scores with <see cref="OnnxModel"/>, the network as it stood when training ended; training or changing
/// the network afterwards does not change the pipeline's predictions.
/// </remarks>
public sealed class NeuralNetModelParameters
{
    internal NeuralNetModelParameters(Network<float>? network, Network<double>? doubleNetwork, TrainingHistory history, byte[] onnxModel)
    {
        Network = network;
        DoubleNetwork = doubleNetwork;
        History = history;
        OnnxModel = onnxModel;
    }

    /// <summary>The trained network when it computes in Single (the default); null when <see cref="NeuralNetTrainerOptions.DoublePrecision"/> was set.</summary>
    public Network<float>? Network { get; }

    /// <summary>The trained network when <see cref="NeuralNetTrainerOptions.DoublePrecision"/> was set; null otherwise.</summary>
    public Network<double>? DoubleNetwork { get; }

    /// <summary>One record per epoch trained: losses, accuracies, learning rate and time.</summary>
    public TrainingHistory History { get; }

    /// <summary>The ONNX model the pipeline runs: the network followed by the scoring head that writes ML.NET's columns.</summary>
    public ReadOnlyMemory<byte> OnnxModel { get; }
}
