using NeuralNet.Losses;

namespace NeuralNet.Onnx;

/// <summary>How <see cref="OnnxModel.Import{T}(string, OnnxImportOptions?)"/> turns an ONNX graph into a network.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>
    /// The loss the imported network trains with. When null (the default), the loss NeuralNet's exporter recorded
    /// in the file if the graph still ends as it wrote it, and otherwise one that follows from the graph's last node:
    /// a final Softmax becomes <see cref="Loss.SoftmaxCrossEntropy"/> and a final Sigmoid
    /// <see cref="Loss.SigmoidBinaryCrossEntropy"/> (each fused loss applies that function itself, so the last
    /// layer becomes linear and <c>Predict</c> still returns what the graph returned); anything else gets
    /// <see cref="Loss.MeanSquaredError"/>.
    /// </summary>
    /// <remarks>
    /// A fused loss given here folds the matching final Softmax or Sigmoid the same way. Given for a graph that
    /// ends with a linear layer (a PyTorch classifier trained with <c>nn.CrossEntropyLoss</c> outputs logits),
    /// <c>Infer</c> returns what the graph returned and <c>Predict</c> the probabilities. A fused loss after any
    /// other final activation is rejected with <see cref="NotSupportedException"/>.
    /// </remarks>
    public Loss? Loss { get; init; }
}
