using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the nodes that start and end the images: the <c>Reshape</c> of rows into N × C × H × W images that NeuralNet's
/// exporter writes at the graph's input, the <c>Flatten</c> or <c>Reshape</c> that makes them rows again (a Flatten
/// layer, unless a global average pooling already gave rows), and the all-zero <c>Pad</c> PyTorch writes before
/// <c>nn.AvgPool2d</c>.
/// </summary>
internal static class ImageShapeReader
{
    /// <summary>A Flatten node: the images become rows; any other Flatten is read as before.</summary>
    public static void ReadFlatten(ChainState chain, NodeProto node)
    {
        if (!ImageLayerReader.EndsInImages(chain))
        {
            PassThroughReader.ReadFlatten(chain, node);
            return;
        }

        string input = NodeChecks.Inputs(node, 1, 1)[0];
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, input);
        long axis = NodeAttributes.Int(node, "axis", 1);
        if (axis is not (1 or -3))
        {
            throw NodeChecks.Unsupported(node, $"Flatten with axis {axis} is read only as axis 1 (keep the batch, flatten the rest)");
        }

        EndImages(chain, node);
    }

    /// <summary>
    /// A Reshape node by a stored shape: rows into N × C × H × W images at the start of the chain, or images into rows
    /// (as Flatten) after image layers.
    /// </summary>
    public static void ReadReshape(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 2);
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, inputs[0]);
        ImageNodeValues.CheckDefinedAt(node, chain.Opset);
        long[] target = ImageNodeValues.Int64s(chain.Constant(node, inputs[1]), node);
        long[] shape = chain.CurrentShape;
        if (NodeAttributes.Int(node, "allowzero", 0) == 0)
        {
            // Without allowzero, a 0 copies the input's dimension.
            target = [.. target.Select((d, k) => d == 0 && k < shape.Length ? shape[k] : d)];
        }

        bool batchKept = target.Length > 0 && (target[0] == -1 || (target[0] >= 0 && target[0] == shape[0]));
        if (batchKept && target.Length == 2 && ImageLayerReader.EndsInImages(chain))
        {
            long features = shape.Skip(1).Aggregate(1L, (a, d) => a * d);
            if (target[1] == -1 || target[1] == features)
            {
                EndImages(chain, node);
                return;
            }
        }

        bool atInput = chain.Layers.Count == 0 && chain.NormalizationLayers.Count == 0 && chain.Images.Layers.Count == 0 && !chain.Images.Ended
            && (chain.Graph.Input.Any(i => i.Name == chain.Current) || chain.Current == chain.Normalization?.ScaleNode.Output[0]);
        if (batchKept && target.Length == 4 && shape.Length == 2 && atInput && target.Skip(1).All(d => d is > 0 and <= int.MaxValue)
            && (shape[1] < 0 || shape[1] == (Int128)target[1] * target[2] * target[3]))
        {
            chain.CurrentShape = [shape[0], target[1], target[2], target[3]];
            chain.Advance(node.Output[0]);
            return;
        }

        throw NodeChecks.Unsupported(node, $"it reshapes [{string.Join(", ", shape)}] to [{string.Join(", ", target)}]; a Reshape is read only as rows to N × C × H × W images at the graph's input, or as images to rows of C·H·W features, keeping the batch");
    }

    /// <summary>A Pad node that pads nothing, as PyTorch writes before <c>nn.AvgPool2d</c>: it leaves the chain as it is.</summary>
    public static void ReadPad(ChainState chain, NodeProto node)
    {
        string[] inputs = chain.Opset < 11 ? NodeChecks.Inputs(node, 1, 1) : NodeChecks.Inputs(node, 2, 4);
        NodeChecks.Outputs(node, 1);
        chain.TakeCurrent(node, inputs[0]);
        ImageNodeValues.CheckDefinedAt(node, chain.Opset);

        // From opset 11 the pads are an input; before, an attribute.
        long[] pads = inputs.Length > 1 && inputs[1].Length > 0
            ? ImageNodeValues.Int64s(chain.Constant(node, inputs[1]), node)
            : ImageNodeValues.Ints(node, "pads", []);
        if (pads.Any(p => p != 0))
        {
            throw NodeChecks.Unsupported(node, $"its pads are [{string.Join(", ", pads)}]; a Pad is read only when it pads nothing (pad with the convolution instead)");
        }

        chain.Advance(node.Output[0]);
    }

    /// <summary>The images become rows: a Flatten layer, except after a global average pooling, whose layer gives rows already.</summary>
    private static void EndImages(ChainState chain, NodeProto node)
    {
        ImageLayerSpec last = chain.Images.Last!;
        if (!last.IsGlobalAveragePool)
        {
            chain.Images.Layers.Add(ImageLayerSpec.Flatten(node, last.OutputShape));
        }

        chain.Images.Ended = true;
        chain.CurrentShape = [chain.CurrentShape[0], last.OutputShape.Size];
        chain.Advance(node.Output[0]);
    }

}
