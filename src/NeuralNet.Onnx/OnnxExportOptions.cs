namespace NeuralNet.Onnx;

/// <summary>How <see cref="OnnxModel.Export{T}(NeuralNet.Network{T}, string, OnnxExportOptions?)"/> writes a network.</summary>
/// <remarks>Checked when an export starts; an invalid value throws <see cref="ArgumentException"/> there.</remarks>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset this exporter writes: every operator it uses has had its current meaning since 13.</summary>
    public const int MinimumOpsetVersion = 13;

    /// <summary>The highest opset this exporter writes (the opset of ONNX 1.16, read by ONNX Runtime 1.18 and later).</summary>
    public const int MaximumOpsetVersion = 21;

    /// <summary>The name of the graph's input, a batch × inputs tensor. Default <c>input</c>.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The name of the graph's output, a batch × outputs tensor. Default <c>output</c>.</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>The symbolic name of the batch dimension, which is left dynamic. Default <c>batch</c>.</summary>
    public string BatchDimensionName { get; init; } = "batch";

    /// <summary>Predictions (the default) or logits; see <see cref="OnnxOutput"/>.</summary>
    public OnnxOutput Output { get; init; } = OnnxOutput.Predictions;

    /// <summary><c>Gemm</c> (the default) or <c>MatMul</c> + <c>Add</c>; see <see cref="OnnxDenseEncoding"/>.</summary>
    public OnnxDenseEncoding DenseEncoding { get; init; } = OnnxDenseEncoding.Gemm;

    /// <summary>
    /// The version of the default ONNX operator set the model declares, from <see cref="MinimumOpsetVersion"/>
    /// to <see cref="MaximumOpsetVersion"/>. Default 13, which every ONNX Runtime since 1.6 reads.
    /// </summary>
    public int OpsetVersion { get; init; } = MinimumOpsetVersion;
}
