using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the nodes exporters put around the layers without computing anything a network holds: Constant (a stored
/// tensor written as a node), Identity (an alias of the chain or of a stored tensor) and Flatten (image inputs to
/// batch × features).
/// </summary>
internal static class PassThroughReader
{
    /// <summary>A Constant node: its tensor becomes a stored tensor under the node's output name.</summary>
    public static void ReadConstant(ChainState chain, NodeProto node)
    {
        NodeChecks.Outputs(node, 1);
        AttributeProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value");
        if (value is null || value.T is null || node.Attribute.Count != 1)
        {
            throw NodeChecks.Unsupported(node, "only a Constant whose single attribute is the tensor 'value' is read");
        }

        chain.Define(node, node.Output[0], value.T);
    }

    /// <summary>An Identity node: it moves the end of the chain, or gives a stored tensor a second name.</summary>
    public static void ReadIdentity(ChainState chain, NodeProto node)
    {
        string input = NodeChecks.Inputs(node, 1, 1)[0];
        NodeChecks.Outputs(node, 1);
        if (input == chain.Current)
        {
            chain.Advance(node.Output[0]);
        }
        else if (chain.Constants.TryGetValue(input, out TensorProto? constant))
        {
            chain.Define(node, node.Output[0], constant);
        }
        else
        {
            throw chain.UndefinedOrBranch(node, input);
        }
    }

    /// <summary>A Flatten node along axis 1: every sample becomes one row of features.</summary>
    public static void ReadFlatten(ChainState chain, NodeProto node)
    {
        chain.TakeCurrent(node, NodeChecks.Inputs(node, 1, 1)[0]);
        NodeChecks.Outputs(node, 1);
        long axis = NodeAttributes.Int(node, "axis", 1);
        if (axis < 0)
        {
            axis += chain.CurrentShape.Length;
        }

        if (axis != 1)
        {
            throw NodeChecks.Unsupported(node, $"Flatten with axis {NodeAttributes.Int(node, "axis", 1)} is read only as axis 1 (keep the batch, flatten the rest)");
        }

        long features = 1;
        foreach (long d in chain.CurrentShape.Skip(1))
        {
            features = d < 0 || features < 0 ? -1 : TensorDecoder.CheckDimension(features * d, $"the features Flatten '{node.Name}' produces");
        }

        chain.CurrentShape = [chain.CurrentShape[0], features];
        chain.Advance(node.Output[0]);
    }
}
