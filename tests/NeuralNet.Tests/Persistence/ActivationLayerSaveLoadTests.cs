using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Networks with activation layers after batch and layer normalisation (PyTorch's Linear → BatchNorm1d → ReLU and
/// Linear → LayerNorm → GELU) save and load and predict bit for bit the same; an interrupted training resumes from its
/// checkpoint bit for bit.
/// </summary>
public sealed class ActivationLayerSaveLoadTests : NormalizedNetworkSaveLoadTests
{
    protected override Network<T> Build<T>(int seed)
        => Network.Sequential<T>(4)
            .Dense(6)
            .BatchNormalization()
            .Activation(Activation.Relu)
            .Dropout(0.3)
            .Dense(5)
            .LayerNormalization()
            .Activation(Activation.Gelu)
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed);

    protected override void CheckLoaded<T>(Network<T> original, Network<T> loaded)
    {
        original.Layers.Select(l => l.Name).Should().Equal("dense", "batch_normalization", "activation", "dropout", "dense", "layer_normalization", "activation", "dense");
        loaded.Layers[2].Should().BeOfType<ActivationLayer<T>>().Which.Activation.Name.Should().Be("relu");
        loaded.Layers[6].Should().BeOfType<ActivationLayer<T>>().Which.Activation.Name.Should().Be("gelu");
    }
}
