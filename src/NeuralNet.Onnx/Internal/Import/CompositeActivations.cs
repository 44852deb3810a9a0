using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Finds the activations written as small graphs of elementwise nodes (SiLU as <c>Mul(x, Sigmoid(x))</c>, GELU as
/// <c>0.5·x·(1 + Erf(x/√2))</c> and its tanh approximation as <c>0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))</c>)
/// and hands the walk along the chain one node for each, in place of the last of its nodes.
/// </summary>
/// <remarks>
/// <para>
/// The forms are those PyTorch's exporter writes and NeuralNet's writes (<see cref="CompositeWriter"/>): a product is
/// read as a product whatever the order or nesting of its <c>Mul</c> nodes, constants are scalars, stored or written as
/// <c>Constant</c> nodes, equal to the formula's within 1e-6 relatively (a float graph holds √2 and √(2/π) rounded to
/// float), and x³ is <c>Mul(x, Mul(x, x))</c>. Every node of a form must be of the default domain, without attributes,
/// and feed only the next node of the form; anything else is left as it is, so the walk refuses it as before.
/// </para>
/// <para>
/// Each candidate is inspected to a bounded depth, so the search costs at most a constant per node of the graph.
/// </para>
/// </remarks>
internal static partial class CompositeActivations
{
    /// <summary>The op type of the node standing for a SiLU.</summary>
    public const string SiluForm = "Mul(x, Sigmoid(x))";

    /// <summary>The op type of the node standing for an exact GELU.</summary>
    public const string GeluErfForm = "0.5·x·(1 + Erf(x/√2))";

    /// <summary>The op type of the node standing for GELU's tanh approximation.</summary>
    public const string GeluTanhForm = "0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))";

    /// <summary>The registered activation each form computes.</summary>
    public static IReadOnlyDictionary<string, string> NameByForm { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SiluForm] = "silu",
        [GeluErfForm] = "gelu",
        [GeluTanhForm] = "gelu_tanh",
    };

    private const int MaxDepth = 6;
    private const int MaxLeaves = 8;
    private const double Tolerance = 1e-6;

    /// <summary>
    /// The graph's nodes in order, with each composite activation replaced by one node (recorded in
    /// <see cref="ChainState.Fused"/>) at the place of its last node.
    /// </summary>
    public static List<NodeProto> Fuse(GraphProto graph, ChainState chain)
    {
        var graphView = new GraphView(graph);
        var removed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var replacement = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType != "Mul" || removed.Contains(node) || !GraphView.IsPlain(node, 2))
            {
                continue;
            }

            if (Match(graphView, node) is ({ } form, { } x, { } nodes) && nodes.All(n => !removed.Contains(n)))
            {
                var fused = new NodeProto { Name = node.Name, OpType = form, Domain = OnnxNames.DefaultDomain };
                fused.Input.Add(x);
                fused.Output.Add(node.Output[0]);
                removed.UnionWith(nodes);
                replacement[node] = fused;
                chain.Fused.Add(fused);
            }
        }

        var result = new List<NodeProto>(graph.Node.Count);
        foreach (NodeProto node in graph.Node)
        {
            if (replacement.TryGetValue(node, out NodeProto? fused))
            {
                result.Add(fused);
            }
            else if (!removed.Contains(node))
            {
                result.Add(node);
            }
        }

        return result;
    }

    /// <summary>The form the product ending in <paramref name="end"/> computes, its input x and its nodes; nulls when it is none of them.</summary>
    private static (string? Form, string? X, List<NodeProto>? Nodes) Match(GraphView graph, NodeProto end)
    {
        var nodes = new List<NodeProto> { end };
        var leaves = new List<string>();
        if (!graph.ExpandInputs(end, leaves, nodes, 0))
        {
            return (null, null, null);
        }

        (double constant, List<string> others) = graph.Split(leaves);
        if (others.Count != 2)
        {
            return (null, null, null);
        }

        for (int k = 0; k < 2; k++)
        {
            string x = others[k];
            string other = others[1 - k];
            var found = new List<NodeProto>(nodes);
            if (Close(constant, 1) && IsSigmoidOf(graph, other, x, found))
            {
                return (SiluForm, x, found);
            }

            if (!Close(constant, 0.5) || graph.Internal(other, "Add") is not { } add || GraphView.Plain(add, 2) is null)
            {
                continue;
            }

            string? inner = OtherThanConstant(graph, add, 1);
            if (inner is null)
            {
                continue;
            }

            found.Add(add);
            if (IsErfOf(graph, inner, x, found))
            {
                return (GeluErfForm, x, found);
            }

            if (IsTanhApproximationOf(graph, inner, x, found))
            {
                return (GeluTanhForm, x, found);
            }
        }

        return (null, null, null);
    }

    private static bool IsSigmoidOf(GraphView graph, string tensor, string x, List<NodeProto> found)
    {
        if (graph.Internal(tensor, "Sigmoid") is { } sigmoid && GraphView.IsPlain(sigmoid, 1) && sigmoid.Input[0] == x)
        {
            found.Add(sigmoid);
            return true;
        }

        return false;
    }

    /// <summary>Erf(x/√2), the division written as Div(x, √2) or as a product of x and 1/√2.</summary>
    private static bool IsErfOf(GraphView graph, string tensor, string x, List<NodeProto> found)
    {
        if (graph.Internal(tensor, "Erf") is not { } erf || !GraphView.IsPlain(erf, 1))
        {
            return false;
        }

        string argument = erf.Input[0];
        var nodes = new List<NodeProto> { erf };
        if (graph.Internal(argument, "Div") is { } div && GraphView.IsPlain(div, 2)
            && div.Input[0] == x && graph.Scalar(div.Input[1]) is double divisor && Close(divisor, CompositeWriter.Sqrt2))
        {
            nodes.Add(div);
        }
        else if (!graph.IsProduct(argument, x, 1, 1 / CompositeWriter.Sqrt2, nodes))
        {
            return false;
        }

        found.AddRange(nodes);
        return true;
    }

    /// <summary>Tanh(√(2/π)·(x + 0.044715·x³)).</summary>
    private static bool IsTanhApproximationOf(GraphView graph, string tensor, string x, List<NodeProto> found)
    {
        if (graph.Internal(tensor, "Tanh") is not { } tanh || !GraphView.IsPlain(tanh, 1))
        {
            return false;
        }

        var nodes = new List<NodeProto> { tanh };
        var leaves = new List<string>();
        if (graph.Internal(tanh.Input[0], "Mul") is not { } scaled || !GraphView.IsPlain(scaled, 2) || !graph.ExpandInputs(scaled, leaves, nodes, 0))
        {
            return false;
        }

        nodes.Add(scaled);
        (double beta, List<string> sum) = graph.Split(leaves);
        if (!Close(beta, CompositeWriter.TanhBeta) || sum.Count != 1 || graph.Internal(sum[0], "Add") is not { } add || !GraphView.IsPlain(add, 2))
        {
            return false;
        }

        nodes.Add(add);
        string cubic = add.Input[0] == x ? add.Input[1] : add.Input[1] == x ? add.Input[0] : string.Empty;
        if (cubic.Length == 0 || !graph.IsProduct(cubic, x, 3, CompositeWriter.TanhKappa, nodes))
        {
            return false;
        }

        found.AddRange(nodes);
        return true;
    }

    /// <summary>The input of a two-input node that is not the scalar <paramref name="constant"/>; null when neither input is.</summary>
    private static string? OtherThanConstant(GraphView graph, NodeProto node, double constant) =>
        graph.Scalar(node.Input[1]) is double b && Close(b, constant) ? node.Input[0]
        : graph.Scalar(node.Input[0]) is double a && Close(a, constant) ? node.Input[1]
        : null;

    private static bool Close(double value, double expected) => Math.Abs(value - expected) <= Tolerance * Math.Abs(expected);
}
