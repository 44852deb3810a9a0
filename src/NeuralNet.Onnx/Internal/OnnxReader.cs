using System.Numerics;
using Google.Protobuf;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Internal.Import;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Reads an ONNX model that is a chain of dense layers and activations into a network: Gemm, or MatMul followed
/// by Add, for each layer; Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Selu, Softplus or Gelu after it, or the
/// SiLU and GELU formulas (<see cref="CompositeActivations"/>); BatchNormalization and LayerNormalization between them
/// (<see cref="NormalizationLayerReader"/>); Flatten, Identity and Constant nodes where exporters put them; and the
/// scalings at either end (<see cref="ScalingReader"/>). Before the first dense layer, image layers: Conv, MaxPool,
/// AveragePool and GlobalAveragePool (<see cref="ImageLayerReader"/>, <see cref="ImageShapeReader"/>).
/// </summary>
/// <remarks>
/// <para>
/// This is the walk along the chain, from the graph's one data input through its nodes in order to its one output;
/// the readers in <see cref="Import"/> read each kind of node and extend the <see cref="ChainState"/> they share.
/// </para>
/// <para>
/// Every size is checked against the data actually present before anything is allocated, so a file that
/// claims absurd dimensions costs no more memory than its own length; and the graph may have at most
/// <see cref="OnnxModel.MaximumLayers"/> dense layers (<see cref="LayerCap"/>), so the network built stays within what
/// NeuralNet's own model format holds.
/// </para>
/// </remarks>
internal static class OnnxReader
{
    /// <summary>The default-domain opsets whose Gemm, MatMul, Add, Flatten and activations this reader knows.</summary>
    internal const int MinimumOpset = 7;

    /// <summary>The highest default-domain opset accepted: no operator read here changed meaning up to it.</summary>
    internal const int MaximumOpset = 25;

    public static Network<T> Read<T>(ReadOnlySpan<byte> data, OnnxImportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Counted on the bytes first: a graph of too many layers is refused before the parser makes an object of each node.
        LayerCap.CheckBytes(data);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"The data is not an ONNX model: the protobuf parser stopped with \"{e.Message}\" ({data.Length} bytes).", e);
        }

        ChainState chain = ReadGraph(model);
        return NetworkAssembler.Build<T>(model, chain, options);
    }

    private static ChainState ReadGraph(ModelProto model)
    {
        if (model.Graph is null)
        {
            throw new OnnxFormatException("The ONNX model has no graph (ModelProto field 7 is missing).");
        }

        GraphProto graph = model.Graph;
        LayerCap.Check(graph);
        var chain = new ChainState(graph, DefaultOpset(model));
        foreach (TensorProto initializer in graph.Initializer)
        {
            if (!chain.Constants.TryAdd(initializer.Name, initializer) || !chain.Defined.Add(initializer.Name))
            {
                throw new OnnxFormatException($"The graph defines the initializer '{initializer.Name}' twice.");
            }
        }

        InputReader.Read(chain);
        foreach (NodeProto node in CompositeActivations.Fuse(graph, chain))
        {
            ReadNode(chain, node);
        }

        if (chain.PendingSub is { } sub)
        {
            throw NodeChecks.Unsupported(sub.Node, "a Sub is read only as the x − mean of an input normalisation, (x − mean) / std, and no Div follows it");
        }

        if (chain.PendingMul is { } mul)
        {
            throw NodeChecks.Unsupported(mul.Node, "a Mul that is not a leaky ReLU's is read only as the y · std of a target scaling, y · std + mean, and no Add follows it");
        }

        if (chain.Scaled is { } scaled)
        {
            throw new NotSupportedException($"ONNX node '{scaled.Node}' (op type 'Mul') is not supported: it is read only as the first half of a leaky ReLU, Max(x, slope·x), and no Max follows it.");
        }

        if (chain.Layers.Count == 0)
        {
            throw new NotSupportedException("The ONNX graph has no Gemm or MatMul node: NeuralNet imports graphs of dense layers.");
        }

        if (graph.Output.Count != 1)
        {
            throw new NotSupportedException($"The ONNX graph has {graph.Output.Count} outputs; NeuralNet imports graphs with exactly one.");
        }

        if (graph.Output[0].Name != chain.Current)
        {
            throw new NotSupportedException(
                $"The ONNX graph's output '{graph.Output[0].Name}' is not the end of its chain of layers ('{chain.Current}').");
        }

        return chain;
    }

    private static int DefaultOpset(ModelProto model)
    {
        OperatorSetIdProto[] opsets = [.. model.OpsetImport.Where(o => OnnxNames.IsDefaultDomain(o.Domain))];
        if (opsets.Length != 1)
        {
            throw new OnnxFormatException(opsets.Length == 0
                ? "The ONNX model imports no version of the default operator set (ai.onnx)."
                : $"The ONNX model imports the default operator set (ai.onnx) {opsets.Length} times; it must name one version.");
        }

        OperatorSetIdProto opset = opsets[0];
        if (opset.Version is < MinimumOpset or > MaximumOpset)
        {
            throw new NotSupportedException(
                $"The ONNX model uses opset {opset.Version} of ai.onnx; NeuralNet imports opsets {MinimumOpset} to {MaximumOpset}.");
        }

        return (int)opset.Version;
    }

    private static void ReadNode(ChainState chain, NodeProto node)
    {
        foreach (string output in node.Output)
        {
            if (output.Length > 0 && !chain.Defined.Add(output))
            {
                throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) defines '{output}', which is already defined.");
            }
        }

        if (chain.Scaled is not null && node.OpType != "Max")
        {
            throw NodeChecks.Unsupported(node, $"it follows the Mul '{chain.Scaled.Value.Node}', which is read only as the first half of a leaky ReLU, Max(x, slope·x)");
        }

        if (chain.Fused.Contains(node))
        {
            ActivationReader.Read(chain, node);
            return;
        }

        if (chain.TargetScaling is not null)
        {
            throw NodeChecks.Unsupported(node, "it follows the target scaling y · std + mean, which must end the graph");
        }

        if (chain.PendingSub is not null && node.OpType != "Div")
        {
            throw NodeChecks.Unsupported(node, $"it follows the Sub '{chain.PendingSub.Value.Node.Name}', which is read only as the x − mean of an input normalisation, (x − mean) / std");
        }

        if (chain.PendingMul is not null && node.OpType != "Add")
        {
            throw NodeChecks.Unsupported(node, $"it follows the Mul '{chain.PendingMul.Value.Node.Name}', which is read only as the y · std of a target scaling, y · std + mean, ending the graph");
        }

        if (!OnnxNames.IsDefaultDomain(node.Domain))
        {
            throw NodeChecks.Unsupported(node, $"it belongs to the operator domain '{node.Domain}', not ai.onnx");
        }

        NodeAttributes.CheckDefined(node);
        switch (node.OpType)
        {
            case "Constant":
                PassThroughReader.ReadConstant(chain, node);
                return;
            case "Identity":
                PassThroughReader.ReadIdentity(chain, node);
                return;
            case "Flatten":
                ImageShapeReader.ReadFlatten(chain, node);
                return;
            case "Conv":
                ImageLayerReader.ReadConv(chain, node);
                return;
            case "MaxPool" or "AveragePool":
                ImageLayerReader.ReadPool(chain, node);
                return;
            case "GlobalAveragePool":
                ImageLayerReader.ReadGlobalAveragePool(chain, node);
                return;
            case "Reshape":
                ImageShapeReader.ReadReshape(chain, node);
                return;
            case "Pad":
                ImageShapeReader.ReadPad(chain, node);
                return;
            case "Gemm":
                GemmReader.Read(chain, node);
                return;
            case "MatMul":
                MatMulAddReader.ReadMatMul(chain, node);
                return;
            case "Add" when chain.PendingMul is not null:
                ScalingReader.ReadAdd(chain, node);
                return;
            case "Add":
                MatMulAddReader.ReadAdd(chain, node);
                return;
            case "Sub":
                ScalingReader.ReadSub(chain, node);
                return;
            case "Div":
                ScalingReader.ReadDiv(chain, node);
                return;
            case "BatchNormalization":
                NormalizationLayerReader.ReadBatchNormalization(chain, node);
                return;
            case "LayerNormalization":
                NormalizationLayerReader.ReadLayerNormalization(chain, node);
                return;
            case "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "Softmax" or "Elu" or "Selu" or "Softplus" or "Gelu":
                ActivationReader.Read(chain, node);
                return;
            case "Mul" when ScalingReader.StartsTargetScaling(chain, node):
                ScalingReader.ReadMul(chain, node);
                return;
            case "Mul":
                LeakyReluMaxReader.ReadMul(chain, node);
                return;
            case "Max":
                LeakyReluMaxReader.ReadMax(chain, node);
                return;
            case "ReduceMean":
                throw NodeChecks.Unsupported(node, "layer normalisation written as its formula (as below opset 17) is not read; export the model at opset 17 or later, where it is the LayerNormalization operator");
            default:
                throw NodeChecks.Unsupported(node, "NeuralNet imports Conv, MaxPool, AveragePool, GlobalAveragePool, Reshape, Gemm, MatMul, Add, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Selu, Softplus, Gelu, BatchNormalization, LayerNormalization, Flatten, Identity and Constant, Max(x, slope·x) as a leaky ReLU, the SiLU and GELU formulas, (x − mean) / std at the input and y · std + mean at the output");
        }
    }
}
