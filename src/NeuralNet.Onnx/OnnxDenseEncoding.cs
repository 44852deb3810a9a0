namespace NeuralNet.Onnx;

/// <summary>How a dense layer is written as ONNX nodes.</summary>
public enum OnnxDenseEncoding
{
    /// <summary>
    /// One <c>Gemm</c> node, <c>Y = X·Wᵀ + b</c> with <c>transB = 1</c> and the weights stored outputs × inputs,
    /// the layout PyTorch writes for <c>nn.Linear</c>.
    /// </summary>
    Gemm,

    /// <summary>A <c>MatMul</c> node with the weights stored inputs × outputs, then an <c>Add</c> node for the biases.</summary>
    MatMulAdd,
}
