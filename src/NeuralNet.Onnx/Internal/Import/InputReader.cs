using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>Reads the graph's one data input: its name starts the chain, and its shape, when recorded, the chain's shape.</summary>
internal static class InputReader
{
    /// <summary>Starts <paramref name="chain"/> at the graph's data input, checking it is a tensor of a supported element type and rank.</summary>
    public static void Read(ChainState chain)
    {
        // Older exporters list the initializers among the inputs too; the data input is the one that is not one.
        ValueInfoProto[] inputs = chain.Graph.Input.Where(i => !chain.Constants.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1)
        {
            throw new NotSupportedException(
                $"The ONNX graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); NeuralNet imports graphs with exactly one.");
        }

        ValueInfoProto input = inputs[0];
        chain.Current = input.Name;
        chain.Defined.Add(input.Name);
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null)
        {
            throw new NotSupportedException($"The ONNX graph's input '{input.Name}' is not a tensor.");
        }

        TensorDecoder.CheckElementType(tensor.ElemType, $"The graph's input '{input.Name}'");
        if (tensor.Shape is null)
        {
            // No shape recorded: the first layer's weights will say how many features a sample has.
            chain.CurrentShape = [-1, -1];
            return;
        }

        if (tensor.Shape.Dim.Count < 2)
        {
            throw new NotSupportedException(
                $"The ONNX graph's input '{input.Name}' has rank {tensor.Shape.Dim.Count}; NeuralNet imports a batch × features input (rank 2, or higher followed by Flatten).");
        }

        chain.CurrentShape = tensor.Shape.Dim
            .Select((d, k) => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
                ? TensorDecoder.CheckDimension(d.DimValue, $"dimension {k} of the graph's input '{input.Name}'")
                : -1)
            .ToArray();
    }
}
