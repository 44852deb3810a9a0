using Google.Protobuf;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.MLNet.Internal;

/// <summary>
/// Turns the ONNX graph NeuralNet.Onnx exports into the one ML.NET runs: a float input named after the scoring column
/// it reads, and outputs for the columns ML.NET's evaluators expect: multiclass, the Score vector of probabilities and
/// the index of the top class; binary, the logit, its sigmoid and whether it is positive; regression, the prediction.
/// </summary>
/// <remarks>
/// OnnxTransformer feeds one row at a time (it reads the dynamic batch dimension as 1). A double-precision network gets
/// Cast nodes at both ends, since ML.NET's features and scores are Single.
/// </remarks>
internal static class ScoringHead
{
    /// <summary>The graph input of the exported network itself, before any cast.</summary>
    public const string NetworkInput = "neuralnet_network_input";

    /// <summary>The graph output of the exported network itself, before the head.</summary>
    public const string NetworkOutput = "neuralnet_network_output";

    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Double = (int)TensorProto.Types.DataType.Double;
    private const int Int64 = (int)TensorProto.Types.DataType.Int64;
    private const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>Adds the input cast and the scoring head to <paramref name="exported"/> and returns the new model's bytes.</summary>
    /// <param name="exported">The export of a network whose input is <see cref="NetworkInput"/> and output <see cref="NetworkOutput"/>.</param>
    /// <param name="kind">The task, which decides the outputs.</param>
    /// <param name="inputColumn">The name of the float input, the column ML.NET feeds.</param>
    /// <param name="features">The number of input features.</param>
    /// <param name="outputs">The network's outputs (classes for multiclass, 1 otherwise).</param>
    /// <param name="doublePrecision">Whether the network computes in double.</param>
    /// <param name="classNames">Multiclass: the label's values as text, in class order, to name the Score vector's slots; otherwise null.</param>
    public static byte[] Build(byte[] exported, PredictionKind kind, string inputColumn, int features, int outputs, bool doublePrecision, IReadOnlyList<string>? classNames)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(exported);
        GraphProto graph = model.Graph;
        graph.Input.Clear();
        graph.Output.Clear();
        graph.Input.Add(Tensor(inputColumn, Float, features));

        string networkOutput = NetworkOutput;
        if (doublePrecision)
        {
            graph.Node.Insert(0, Cast(inputColumn, NetworkInput, Double));
            graph.Node.Add(Cast(NetworkOutput, "neuralnet_output_float", Float));
            networkOutput = "neuralnet_output_float";
        }
        else
        {
            graph.Node.Insert(0, Node("Identity", "neuralnet_input", [inputColumn], [NetworkInput]));
        }

        // One output per column ML.NET will see, each batch × n: OnnxTransformer reads a tensor of any other rank as
        // a vector too, but cannot read a rank-0 (scalar) output, so single values leave the graph as one-slot vectors.
        switch (kind)
        {
            case PredictionKind.Multiclass:
                graph.Node.Add(Node("Identity", "neuralnet_score", [networkOutput], [Columns.Score]));
                graph.Node.Add(Node("ArgMax", "neuralnet_argmax", [Columns.Score], [Columns.ClassIndexVector], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }, new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
                graph.Output.Add(Tensor(Columns.Score, Float, outputs));
                graph.Output.Add(Tensor(Columns.ClassIndexVector, Int64, 1));
                if (classNames is { Count: > 0 })
                {
                    AddSlotNames(model, Columns.Score, classNames);
                }

                break;
            case PredictionKind.Binary:
                graph.Node.Add(Node("Identity", "neuralnet_score", [networkOutput], [Columns.ScoreVector]));
                graph.Node.Add(Node("Sigmoid", "neuralnet_probability", [Columns.ScoreVector], [Columns.ProbabilityVector]));
                graph.Initializer.Add(new TensorProto { Name = "neuralnet_zero", DataType = Float, FloatData = { 0f } });
                graph.Node.Add(Node("Greater", "neuralnet_predicted", [Columns.ScoreVector, "neuralnet_zero"], [Columns.PredictedLabelVector]));
                graph.Output.Add(Tensor(Columns.ScoreVector, Float, 1));
                graph.Output.Add(Tensor(Columns.ProbabilityVector, Float, 1));
                graph.Output.Add(Tensor(Columns.PredictedLabelVector, Bool, 1));
                break;
            default:
                graph.Node.Add(Node("Identity", "neuralnet_score", [networkOutput], [Columns.ScoreVector]));
                graph.Output.Add(Tensor(Columns.ScoreVector, Float, 1));
                break;
        }

        return model.ToByteArray();
    }

    /// <summary>
    /// Names the slots of output <paramref name="column"/> the way OnnxTransformer reads them: from the <c>keys_strings</c>
    /// of a node named <c>mlnet.{column}.SlotNames</c> (the form ML.NET's own ONNX export writes, a LabelEncoder). The node
    /// encodes a constant and feeds no output, so it changes nothing the graph computes; ML.NET's evaluators then name
    /// the classes in the confusion table, and <c>GetSlotNames</c> on Score gives the class of each probability.
    /// </summary>
    private static void AddSlotNames(ModelProto model, string column, IReadOnlyList<string> names)
    {
        const string domain = "ai.onnx.ml";
        if (!model.OpsetImport.Any(opset => opset.Domain == domain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 2 });
        }

        var constant = new TensorProto { Name = "neuralnet_slot_names", DataType = (int)TensorProto.Types.DataType.String };
        constant.Dims.Add(names.Count);
        constant.StringData.Add(names.Select(ByteString.CopyFromUtf8));
        model.Graph.Initializer.Add(constant);
        var keys = new AttributeProto { Name = "keys_strings", Type = AttributeProto.Types.AttributeType.Strings };
        keys.Strings.Add(names.Select(ByteString.CopyFromUtf8));
        var values = new AttributeProto { Name = "values_int64s", Type = AttributeProto.Types.AttributeType.Ints };
        values.Ints.Add(Enumerable.Range(0, names.Count).Select(k => (long)k));
        NodeProto node = Node("LabelEncoder", $"mlnet.{column}.SlotNames", ["neuralnet_slot_names"], ["neuralnet_slot_names_encoded"], keys, values);
        node.Domain = domain;
        model.Graph.Node.Add(node);
    }

    private static NodeProto Cast(string input, string output, int to)
        => Node("Cast", output + "_cast", [input], [output], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    /// <summary>A batch × <paramref name="size"/> tensor.</summary>
    private static ValueInfoProto Tensor(string name, int elementType, int size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } } };
    }
}
