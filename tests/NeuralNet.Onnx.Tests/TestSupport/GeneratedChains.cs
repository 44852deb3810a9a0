using System.Globalization;
using Google.Protobuf;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>ONNX models generated to a size: long chains of 1 × 1 layers, as an attack on the importer writes them.</summary>
internal static class GeneratedChains
{
    /// <summary>
    /// A float model of <paramref name="layers"/> Gemm nodes in one chain, without biases, then
    /// <paramref name="identities"/> Identity nodes passing the result on. The 1 × 1 weights alternate 2 and ½, so
    /// an even number of layers computes exactly its input, and the values stay finite however long the chain.
    /// </summary>
    public static ModelProto GemmChain(int layers, int identities = 0)
    {
        var graph = new GraphProto { Name = "chain" };
        graph.Input.Add(Matrix("x"));
        string current = "x";
        ByteString[] weights = [ByteString.CopyFrom(BitConverter.GetBytes(2f)), ByteString.CopyFrom(BitConverter.GetBytes(0.5f))];
        for (int l = 0; l < layers; l++)
        {
            string index = l.ToString(CultureInfo.InvariantCulture);
            var weight = new TensorProto { Name = "w" + index, DataType = (int)TensorProto.Types.DataType.Float, RawData = weights[l % 2] };
            weight.Dims.Add([1, 1]);
            graph.Initializer.Add(weight);
            current = Append(graph, "Gemm", "g" + index, [current, weight.Name], "y" + index);
        }

        for (int i = 0; i < identities; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            current = Append(graph, "Identity", "i" + index, [current], "z" + index);
        }

        graph.Output.Add(Matrix(current));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model;
    }

    /// <summary>Appends a default-domain node to <paramref name="graph"/> and returns its output.</summary>
    public static string Append(GraphProto graph, string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>A float batch × 1 tensor called <paramref name="name"/>, for the graph's input and output.</summary>
    public static ValueInfoProto Matrix(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
