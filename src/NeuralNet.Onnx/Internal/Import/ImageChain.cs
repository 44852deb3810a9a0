using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// The image part of the chain: the image layers read so far, which all come before the first dense layer, and whether
/// the images have ended (been flattened into rows).
/// </summary>
internal sealed class ImageChain
{
    /// <summary>The convolution weight tensors taken, so a tensor named by many nodes cannot multiply the memory a file costs.</summary>
    private readonly HashSet<TensorProto> _usedWeights = new(ReferenceEqualityComparer.Instance);

    /// <summary>The image layers read so far, in order.</summary>
    public List<ImageLayerSpec> Layers { get; } = [];

    /// <summary>Whether the images have been flattened into rows, after which no image node is read.</summary>
    public bool Ended { get; set; }

    /// <summary>The image layer read last, or null before the first.</summary>
    public ImageLayerSpec? Last => Layers.Count > 0 ? Layers[^1] : null;

    /// <summary>Records that a convolution takes <paramref name="weights"/>; false when another already has.</summary>
    public bool TakeWeights(TensorProto weights) => _usedWeights.Add(weights);

    /// <summary>The layers, their convolution weights decoded as <typeparamref name="T"/>.</summary>
    public Layer<T>[] Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => [.. Layers.Select(l => l.Create<T>())];

    /// <summary>Copies the weights into <paramref name="layers"/>, those <see cref="Create{T}"/> made, once the network has drawn its own.</summary>
    public void CopyTo<T>(Layer<T>[] layers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < layers.Length; l++)
        {
            Layers[l].CopyTo(layers[l]);
        }
    }
}
