using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Which loss an imported network gets: the one the caller gives; else the one NeuralNet's exporter recorded, when the
/// graph still ends the way it said; else the one that follows from the last node (softmax cross-entropy after a
/// Softmax, sigmoid binary cross-entropy after a Sigmoid, mean squared error otherwise).
/// </summary>
/// <remarks>
/// A fused loss applies its own Softmax or Sigmoid to logits, so the graph's final one moves into the loss: Predict
/// still returns what the graph computed, and training works from logits, where it is numerically sound.
/// </remarks>
internal static class LossInference
{
    /// <summary>The loss for a network whose last layer is <paramref name="last"/>, which loses its final activation when the loss takes it over.</summary>
    /// <exception cref="NotSupportedException">The given loss expects logits and cannot take over the graph's final activation.</exception>
    public static Loss Infer(ModelProto model, LayerSpec last, OnnxImportOptions options)
    {
        Activation lastActivation = last.Activation ?? Activation.Identity;
        Loss loss = options.Loss ?? RecordedLoss(model, lastActivation) ?? (LossEndingWith.TryGetValue(lastActivation.Name, out string? name)
            ? ComponentRegistry.Losses.Create(name, new ComponentConfig())
            : Loss.MeanSquaredError);
        if (loss.ExpectsLogits && !lastActivation.IsIdentity)
        {
            // A fused loss applies its own Softmax or Sigmoid: the graph's final one moves into the loss.
            if (loss.OutputActivation.Name != lastActivation.Name)
            {
                throw new NotSupportedException(
                    $"The ONNX graph ends with {last.ActivationNode}, which the loss {loss.Name} cannot follow: it expects the last layer to output logits, or to end with {OnnxActivations.OperatorOf(loss.OutputActivation.Name) ?? loss.OutputActivation.Name}.");
            }

            last.Activation = Activation.Identity;
        }

        return loss;
    }

    /// <summary>The loss a graph ending in an activation gets, by registered names: the fused loss that applies that activation itself.</summary>
    private static readonly Dictionary<string, string> LossEndingWith = new(StringComparer.Ordinal)
    {
        ["softmax"] = "softmax_cross_entropy",
        ["sigmoid"] = "sigmoid_binary_cross_entropy",
    };

    /// <summary>
    /// The loss NeuralNet's exporter recorded, when this version knows it and the graph still ends the way the
    /// exporter said (with the loss's Softmax or Sigmoid for predictions, linear for logits); otherwise null.
    /// </summary>
    private static Loss? RecordedLoss(ModelProto model, Activation last)
    {
        string? name = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.LossKey)?.Value;
        string? output = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.OutputKey)?.Value;
        Loss? loss = Recorded(name);
        if (loss is null || !loss.ExpectsLogits)
        {
            return loss;
        }

        bool endsWithItsFunction = loss.OutputActivation.Name == last.Name;
        return output switch
        {
            OnnxNames.PredictionsOutput when endsWithItsFunction => loss,
            OnnxNames.LogitsOutput when last.IsIdentity => loss,
            _ => null,
        };
    }

    /// <summary>The registered loss named <paramref name="name"/>, when it needs no configuration (the metadata records the name only).</summary>
    private static Loss? Recorded(string? name)
    {
        if (name is null || !ComponentRegistry.Losses.IsRegistered(name))
        {
            return null;
        }

        try
        {
            return ComponentRegistry.Losses.Create(name, new ComponentConfig());
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }
}
