using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Writes the activations that have no single ONNX operator at every opset: SiLU as <c>Mul(x, Sigmoid(x))</c>, and
/// below opset 20 the two GELUs as their formulas, node for node as PyTorch's exporter writes them, so that one
/// reader (<see cref="Import.CompositeActivations"/>) takes both.
/// </summary>
/// <remarks>
/// Constants are scalar initializers in the network's element type; intermediate tensors are named
/// <c>denseN.tK</c> and the result <c>denseN.a</c>, like every other activation's.
/// </remarks>
internal static class CompositeWriter
{
    /// <summary>√2, the divisor of GELU's erf argument.</summary>
    public const double Sqrt2 = 1.4142135623730951;

    /// <summary>√(2/π), the scale of the tanh approximation's argument.</summary>
    public const double TanhBeta = 0.7978845608028654;

    /// <summary>The cubic coefficient of the tanh approximation.</summary>
    public const double TanhKappa = 0.044715;

    /// <summary>SiLU: <c>Mul(x, Sigmoid(x))</c>, as PyTorch writes <c>nn.SiLU</c>.</summary>
    public static string Silu(GraphProto graph, string prefix, string input)
    {
        NodeProto sigmoid = OnnxWriter.Node("Sigmoid", $"{prefix}/Silu/Sigmoid", [input], $"{prefix}.t1");
        NodeProto mul = OnnxWriter.Node("Mul", $"{prefix}/Silu/Mul", [input, sigmoid.Output[0]], $"{prefix}.a");
        graph.Node.Add(sigmoid);
        graph.Node.Add(mul);
        return mul.Output[0];
    }

    /// <summary>GELU as opset 20's <c>Gelu</c>, with <c>approximate="tanh"</c> for the tanh approximation.</summary>
    public static string GeluOperator(GraphProto graph, string prefix, string input, bool tanh)
    {
        NodeProto node = OnnxWriter.Node("Gelu", $"{prefix}/Gelu", [input], $"{prefix}.a");
        if (tanh)
        {
            node.Attribute.Add(new AttributeProto { Name = "approximate", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("tanh") });
        }

        graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>Exact GELU below opset 20: <c>Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)</c>.</summary>
    public static string GeluErf(GraphProto graph, string prefix, string input, int elementType)
    {
        string sqrt2 = Scalar(graph, $"{prefix}.c_sqrt2", elementType, Sqrt2);
        string one = Scalar(graph, $"{prefix}.c_one", elementType, 1);
        string half = Scalar(graph, $"{prefix}.c_half", elementType, 0.5);
        Add(graph, "Div", prefix, [input, sqrt2], "t1");
        Add(graph, "Erf", prefix, [$"{prefix}.t1"], "t2");
        Add(graph, "Add", prefix, [$"{prefix}.t2", one], "t3");
        Add(graph, "Mul", prefix, [input, $"{prefix}.t3"], "t4");
        return Add(graph, "Mul", prefix, [$"{prefix}.t4", half], "a", "Mul_1");
    }

    /// <summary>
    /// GELU's tanh approximation below opset 20:
    /// <c>Mul(0.5, Mul(x, Add(1, Tanh(Mul(√(2/π), Add(x, Mul(0.044715, Mul(x, Mul(x, x)))))))))</c>.
    /// </summary>
    public static string GeluTanh(GraphProto graph, string prefix, string input, int elementType)
    {
        string kappa = Scalar(graph, $"{prefix}.c_kappa", elementType, TanhKappa);
        string beta = Scalar(graph, $"{prefix}.c_beta", elementType, TanhBeta);
        string one = Scalar(graph, $"{prefix}.c_one", elementType, 1);
        string half = Scalar(graph, $"{prefix}.c_half", elementType, 0.5);
        Add(graph, "Mul", prefix, [input, input], "t1");
        Add(graph, "Mul", prefix, [input, $"{prefix}.t1"], "t2", "Mul_1");
        Add(graph, "Mul", prefix, [kappa, $"{prefix}.t2"], "t3", "Mul_2");
        Add(graph, "Add", prefix, [input, $"{prefix}.t3"], "t4");
        Add(graph, "Mul", prefix, [beta, $"{prefix}.t4"], "t5", "Mul_3");
        Add(graph, "Tanh", prefix, [$"{prefix}.t5"], "t6");
        Add(graph, "Add", prefix, [one, $"{prefix}.t6"], "t7", "Add_1");
        Add(graph, "Mul", prefix, [input, $"{prefix}.t7"], "t8", "Mul_4");
        return Add(graph, "Mul", prefix, [half, $"{prefix}.t8"], "a", "Mul_5");
    }

    private static string Add(GraphProto graph, string opType, string prefix, string[] inputs, string output, string? nodeName = null)
    {
        NodeProto node = OnnxWriter.Node(opType, $"{prefix}/Gelu/{nodeName ?? opType}", inputs, $"{prefix}.{output}");
        graph.Node.Add(node);
        return node.Output[0];
    }

    private static string Scalar(GraphProto graph, string name, int elementType, double value)
    {
        graph.Initializer.Add(elementType == (int)TensorProto.Types.DataType.Float
            ? OnnxWriter.Tensor(name, elementType, [], new[] { (float)value })
            : OnnxWriter.Tensor(name, elementType, [], new[] { value }));
        return name;
    }
}
