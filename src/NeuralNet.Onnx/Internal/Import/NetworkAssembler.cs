using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Builds the network a walk along the graph has read: the input normalisation, the image layers, then the dense layers
/// with the batch and layer normalisations in their places among them, the loss, the weights, the target scaling and the names.
/// </summary>
internal static class NetworkAssembler
{
    /// <summary>The network <paramref name="chain"/> describes, with its values decoded as <typeparamref name="T"/>.</summary>
    public static Network<T> Build<T>(ModelProto model, ChainState chain, OnnxImportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (LayerSpec layer in chain.Layers)
        {
            layer.ReadValues<T>();
        }

        // A graph ending in a normalisation ends with the activation after it, if any, whatever its last dense layer has.
        NormalizationLayerSpec? trailing = chain.NormalizationLayers.Count > 0 && chain.NormalizationLayers[^1].Position == chain.Layers.Count
            ? chain.NormalizationLayers[^1]
            : null;
        Loss loss = LossInference.Infer(model, chain.Layers[^1], trailing, options);
        var dense = chain.Layers.Select(l => new Dense<T>(l.Inputs, l.Outputs, l.Activation ?? Activation.Identity)).ToArray();
        var layers = new List<Layer<T>>(dense.Length + (2 * chain.NormalizationLayers.Count) + 1);
        int next = 0;
        for (int l = 0; l <= dense.Length; l++)
        {
            for (; next < chain.NormalizationLayers.Count && chain.NormalizationLayers[next].Position == l; next++)
            {
                NormalizationLayerSpec spec = chain.NormalizationLayers[next];
                layers.Add(spec.Create<T>());

                // An activation read right after the normalisation (Linear, BatchNorm1d, ReLU) is a layer of its own.
                if (spec.Activation is { } activation)
                {
                    layers.Add(new ActivationLayer<T>(spec.Features, activation));
                }
            }

            if (l < dense.Length)
            {
                layers.Add(dense[l]);
            }
        }

        // Image layers are read only before the first dense layer and before any normalisation of rows.
        Layer<T>[] images = chain.Images.Create<T>();
        layers.InsertRange(0, images);
        if (chain.Normalization is { } normalization)
        {
            layers.Insert(0, ScalingReader.Normalization<T>(normalization, layers[0].InputSize));
        }

        var network = new Network<T>(layers, loss, seed: 0);
        chain.Images.CopyTo(images);

        // The network draws the dense layers' starting weights; the graph's replace them.
        for (int l = 0; l < dense.Length; l++)
        {
            chain.Layers[l].CopyTo(dense[l]);
        }

        if (chain.TargetScaling is { } targetScaling)
        {
            StandardScaler<T> scaler = ScalingReader.TargetScaler<T>(targetScaling, network.OutputSize);
            try
            {
                network.TargetScaler = scaler;
            }
            catch (ArgumentException e)
            {
                throw NodeChecks.Unsupported(targetScaling.ScaleNode, $"y · std + mean is read as a regression's target scaling, which this network cannot hold: {e.Message}");
            }
        }

        ScalingReader.ReadNames(model, network);
        return network;
    }
}
