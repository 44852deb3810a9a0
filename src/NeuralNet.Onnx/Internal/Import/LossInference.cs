using NeuralNet.Activations;
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
        Loss loss = options.Loss ?? RecordedLoss(model, lastActivation) ?? lastActivation switch
        {
            Softmax => Loss.SoftmaxCrossEntropy,
            Sigmoid => Loss.SigmoidBinaryCrossEntropy,
            _ => Loss.MeanSquaredError,
        };
        if (loss.ExpectsLogits && !lastActivation.IsIdentity)
        {
            // A fused loss applies its own Softmax or Sigmoid: the graph's final one moves into the loss.
            bool folds = (loss is SoftmaxCrossEntropy && lastActivation is Softmax) || (loss is SigmoidBinaryCrossEntropy && lastActivation is Sigmoid);
            if (!folds)
            {
                throw new NotSupportedException(
                    $"The ONNX graph ends with {last.ActivationNode}, which the loss {loss.Name} cannot follow: it expects the last layer to output logits, or to end with {(loss is SoftmaxCrossEntropy ? "Softmax" : "Sigmoid")}.");
            }

            last.Activation = Activation.Identity;
        }

        return loss;
    }

    /// <summary>
    /// The loss NeuralNet's exporter recorded, when this version knows it and the graph still ends the way the
    /// exporter said (with the loss's Softmax or Sigmoid for predictions, linear for logits); otherwise null.
    /// </summary>
    private static Loss? RecordedLoss(ModelProto model, Activation last)
    {
        string? name = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.LossKey)?.Value;
        string? output = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.OutputKey)?.Value;
        Loss[] known = [Loss.MeanSquaredError, Loss.SoftmaxCrossEntropy, Loss.SigmoidBinaryCrossEntropy];
        Loss? loss = known.FirstOrDefault(l => l.Name == name);
        if (loss is null || !loss.ExpectsLogits)
        {
            return loss;
        }

        bool endsWithItsFunction = (loss is SoftmaxCrossEntropy && last is Softmax) || (loss is SigmoidBinaryCrossEntropy && last is Sigmoid);
        return output switch
        {
            OnnxNames.PredictionsOutput when endsWithItsFunction => loss,
            OnnxNames.LogitsOutput when last.IsIdentity => loss,
            _ => null,
        };
    }
}
