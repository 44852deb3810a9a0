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
/// A loss with an output function (the fused losses' Softmax or Sigmoid, or a function of a loss of the user's own)
/// applies it to the network's raw output for Predict. When the graph's final activation is that function, it moves
/// into the loss, so Predict still returns what the graph computed (once, not twice), and a fused loss trains from
/// logits, where it is numerically sound.
/// </remarks>
internal static class LossInference
{
    /// <summary>
    /// The loss for a network whose last dense layer is <paramref name="last"/>, which loses its final activation when the
    /// loss takes it over; when a normalisation follows that layer (<paramref name="endsInNormalization"/>), the graph
    /// ends without an activation.
    /// </summary>
    /// <exception cref="NotSupportedException">The given loss expects logits and cannot take over the graph's final activation.</exception>
    public static Loss Infer(ModelProto model, LayerSpec last, bool endsInNormalization, OnnxImportOptions options)
    {
        Activation lastActivation = endsInNormalization ? Activation.Identity : last.Activation ?? Activation.Identity;
        (Loss loss, bool takesOver) = options.Loss is { } given
            ? (given, EndsWithItsFunction(given, lastActivation))
            : RecordedLoss(model, lastActivation) ?? Inferred(lastActivation);
        if (takesOver)
        {
            last.Activation = Activation.Identity;
        }
        else if (loss.ExpectsLogits && !lastActivation.IsIdentity)
        {
            // A fused loss computes from logits: an activation it does not apply itself cannot stay before it.
            throw new NotSupportedException(
                $"The ONNX graph ends with {last.ActivationNode}, which the loss {loss.Name} cannot follow: it expects the last layer to output logits, or to end with {OnnxActivations.OperatorOf(loss.OutputActivation.Name) ?? loss.OutputActivation.Name}.");
        }

        return loss;
    }

    /// <summary>The loss a graph ending in an activation gets, by registered names: the fused loss that applies that activation itself.</summary>
    private static readonly Dictionary<string, string> LossEndingWith = new(StringComparer.Ordinal)
    {
        ["softmax"] = "softmax_cross_entropy",
        ["sigmoid"] = "sigmoid_binary_cross_entropy",
    };

    /// <summary>Whether <paramref name="last"/>, the graph's final activation, is the output function <paramref name="loss"/> applies itself.</summary>
    private static bool EndsWithItsFunction(Loss loss, Activation last) =>
        !loss.OutputActivation.IsIdentity && loss.OutputActivation.Name == last.Name;

    /// <summary>The loss that follows from the graph's final activation, and whether it takes that activation over.</summary>
    private static (Loss Loss, bool TakesOver) Inferred(Activation last) =>
        LossEndingWith.TryGetValue(last.Name, out string? name)
            ? (ComponentRegistry.Losses.Create(name, new ComponentConfig()), true)
            : (Loss.MeanSquaredError, false);

    /// <summary>
    /// The loss NeuralNet's exporter recorded, when this version knows it and the graph still ends the way the
    /// exporter said, and whether the graph's final activation is the loss's own: the exporter wrote the loss's output
    /// function last for predictions and left it out for logits. Null when no recorded loss applies.
    /// </summary>
    private static (Loss Loss, bool TakesOver)? RecordedLoss(ModelProto model, Activation last)
    {
        string? name = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.LossKey)?.Value;
        string? output = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.OutputKey)?.Value;
        Loss? loss = Recorded(name);
        if (loss is null || loss.OutputActivation.IsIdentity)
        {
            return loss is null ? null : (loss, false);
        }

        return output switch
        {
            OnnxNames.PredictionsOutput when EndsWithItsFunction(loss, last) => (loss, true),

            // A fused loss needs logits; a loss of the user's own keeps the layer's activation, which the graph ends with.
            OnnxNames.LogitsOutput when last.IsIdentity || !loss.ExpectsLogits => (loss, false),
            _ when !loss.ExpectsLogits && output is null => (loss, false),
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
