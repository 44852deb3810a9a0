namespace NeuralNet.Onnx;

/// <summary>What the exported graph's output holds.</summary>
public enum OnnxOutput
{
    /// <summary>
    /// What <c>Network&lt;T&gt;.Predict</c> returns: for the fused losses the graph ends with the loss's output
    /// function (Softmax for softmax cross-entropy, Sigmoid for sigmoid binary cross-entropy), so the output
    /// holds probabilities; for mean squared error, the last layer's output.
    /// </summary>
    Predictions,

    /// <summary>What <c>Network&lt;T&gt;.Infer</c> returns: the last layer's raw output, logits for the fused losses.</summary>
    Logits,
}
