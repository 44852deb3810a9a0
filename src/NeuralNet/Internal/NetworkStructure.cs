using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Internal;

/// <summary>What makes a list of layers under a loss a network: layers present and distinct, sizes that chain, and a last layer the loss can train.</summary>
internal static class NetworkStructure
{
    public static void Check<T>(Layer<T>[] layers, Loss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layers.Length == 0)
        {
            throw new ArgumentException("Expected at least one layer, but got none.", nameof(layers));
        }

        // By identity, in a hash set: linear in the layer count, and no layer's own Equals is consulted.
        var positions = new Dictionary<Layer<T>, int>(layers.Length, ReferenceEqualityComparer.Instance);
        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l] is null)
            {
                throw new ArgumentException($"Expected a layer at position {l}, but got null.", nameof(layers));
            }

            if (!positions.TryAdd(layers[l], l))
            {
                throw new ArgumentException($"Expected distinct layers, but {layers[l]} appears at positions {positions[layers[l]]} and {l}; create a new layer for each position.", nameof(layers));
            }

            if (l > 0 && layers[l].InputSize != layers[l - 1].OutputSize)
            {
                throw new ArgumentException($"Layer {l} {layers[l]} expects {layers[l].InputSize} inputs but layer {l - 1} {layers[l - 1]} produces {layers[l - 1].OutputSize}.", nameof(layers));
            }
        }

        if (loss.ExpectsLogits && layers[^1].Activation is { IsIdentity: false } activation)
        {
            throw new ArgumentException($"{loss.Name} works on logits and applies its own output function, so the last layer must use the identity activation, but {layers[^1]} uses {activation}.", nameof(loss));
        }

        loss.CheckOutputCount(layers[^1].OutputSize);
    }

    /// <summary>Checks inputs and targets against the network's sizes, naming the network and the shapes.</summary>
    public static void CheckData<T>(Network<T> network, Matrix<T> inputs, Matrix<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(inputs, nameof(inputs));
        ArgumentNullException.ThrowIfNull(targets);

        // The description is built only on failure: this check runs on every public training step.
        if (inputs.ColumnCount != network.InputSize)
        {
            Guard.Columns(inputs, network.InputSize, network.Describe(), nameof(inputs));
        }

        Guard.SameRowCount(inputs, targets.RowCount, nameof(targets));
        if (targets.ColumnCount != network.OutputSize)
        {
            Guard.Columns(targets, network.OutputSize, network.Describe(), nameof(targets));
        }
    }
}
