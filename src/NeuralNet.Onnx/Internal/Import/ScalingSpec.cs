using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// A per-feature scaling read from the graph, before the network exists: the stored offsets (a normalisation's mean,
/// a target scaling's added mean) and scales (the standard deviation divided or multiplied by), with the nodes that read
/// them, whose names the messages about their values give.
/// </summary>
/// <param name="OffsetNode">The Sub or Add that reads the offsets.</param>
/// <param name="Offsets">The offsets tensor.</param>
/// <param name="ScaleNode">The Div or Mul that reads the scales.</param>
/// <param name="Scales">The scales tensor.</param>
internal sealed record ScalingSpec(NodeProto OffsetNode, TensorProto Offsets, NodeProto ScaleNode, TensorProto Scales);
