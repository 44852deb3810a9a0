using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Networks with dropout, layer normalisation and batch normalisation save and load (batch normalisation's running
/// statistics included) and predict bit for bit the same; an interrupted training resumes from its checkpoint bit for
/// bit, dropout masks and running statistics included.
/// </summary>
public sealed class ToolkitLayerSaveLoadTests : NormalizedNetworkSaveLoadTests
{
    protected override Network<T> Build<T>(int seed)
        => Network.Sequential<T>(4)
            .Dense(6, Activation.Relu)
            .BatchNormalization()
            .Dropout(0.3)
            .Dense(5, Activation.Gelu)
            .LayerNormalization()
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed);

    protected override void CheckLoaded<T>(Network<T> original, Network<T> loaded)
        => ((Dropout<T>)loaded.Layers[2]).Rate.Should().Be(0.3);
}
