using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// How far the walk from the graph's input has got: the tensor at the end of the chain and its shape, the dense
/// layers assembled so far, and every name the graph has defined.
/// </summary>
/// <remarks>
/// ONNX nodes refer to each other by name, so the node readers share this one state: each extends the chain from
/// where the previous one left it, and telling a malformed file (a name nothing defines) from an unsupported graph
/// (a branch off the chain) needs every name defined so far.
/// </remarks>
/// <param name="graph">The graph being read.</param>
/// <param name="opset">The default-domain opset the model imports.</param>
internal sealed class ChainState(GraphProto graph, int opset)
{
    /// <summary>The weight tensors layers have taken, so a tensor named by many nodes cannot multiply the memory a file costs.</summary>
    private readonly HashSet<TensorProto> _usedWeights = new(ReferenceEqualityComparer.Instance);
    private NodeProto? _outputProducer;

    /// <summary>The graph being read.</summary>
    public GraphProto Graph { get; } = graph;

    /// <summary>The default-domain opset the model imports.</summary>
    public int Opset { get; } = opset;

    /// <summary>The stored tensors by name: initializers, Constant nodes and Identity aliases of them.</summary>
    public Dictionary<string, TensorProto> Constants { get; } = new(StringComparer.Ordinal);

    /// <summary>Every tensor name the graph has defined so far: ONNX names each value once.</summary>
    public HashSet<string> Defined { get; } = new(StringComparer.Ordinal);

    /// <summary>The dense layers read so far, in order.</summary>
    public List<LayerSpec> Layers { get; } = [];

    /// <summary>The batch and layer normalisations read so far, in order, each knowing how many dense layers precede it.</summary>
    public List<NormalizationLayerSpec> NormalizationLayers { get; } = [];

    /// <summary>Whether the end of the chain is a normalisation's output, so no dense layer's node can follow until the next layer.</summary>
    public bool EndsInNormalization => NormalizationLayers.Count > 0 && NormalizationLayers[^1].Output == Current;

    /// <summary>The dense layer read last, or null before the first.</summary>
    public LayerSpec? LastLayer => Layers.Count > 0 ? Layers[^1] : null;

    /// <summary>The name of the tensor at the end of the chain, which the next node must read.</summary>
    public string Current { get; set; } = string.Empty;

    /// <summary>The shape of <see cref="Current"/>, batch first; −1 where the file does not say.</summary>
    public long[] CurrentShape { get; set; } = [];

    /// <summary>The nodes standing for composite activations (<see cref="CompositeActivations"/>), which no file holds.</summary>
    public HashSet<NodeProto> Fused { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The slope·x half of a leaky ReLU read as Mul, waiting for its Max.</summary>
    public (string Node, string Output, double Slope)? Scaled { get; set; }

    /// <summary>The input normalisation read at the start of the chain, or null.</summary>
    public ScalingSpec? Normalization { get; set; }

    /// <summary>The Sub of an input normalisation, waiting for its Div.</summary>
    public (NodeProto Node, TensorProto Tensor)? PendingSub { get; set; }

    /// <summary>The target scaling read at the end of the chain, or null.</summary>
    public ScalingSpec? TargetScaling { get; set; }

    /// <summary>The Mul of a target scaling, waiting for its Add.</summary>
    public (NodeProto Node, TensorProto Tensor)? PendingMul { get; set; }

    /// <summary>The image layers at the start of the chain (<see cref="ImageLayerReader"/>).</summary>
    public ImageChain Images { get; } = new();

    /// <summary>The last node that produces the graph's one output, or null (found once, so a Mul's look ahead costs nothing).</summary>
    public NodeProto? OutputProducer => _outputProducer ??= Graph.Output.Count == 1
        ? Graph.Node.LastOrDefault(n => n.Output.Contains(Graph.Output[0].Name))
        : null;

    /// <summary>Moves the end of the chain to <paramref name="output"/> through a node that leaves the values as they are.</summary>
    public void Advance(string output)
    {
        if (Layers.Count > 0 && Layers[^1].Output == Current)
        {
            Layers[^1].Output = output;
        }

        if (NormalizationLayers.Count > 0 && NormalizationLayers[^1].Output == Current)
        {
            NormalizationLayers[^1].Output = output;
        }

        Current = output;
    }

    /// <summary>Appends the dense layer <paramref name="node"/> computes with <paramref name="weights"/>, and moves the end of the chain to its output.</summary>
    public LayerSpec AddLayer(NodeProto node, TensorProto weights, bool transposed)
    {
        if (weights.Dims.Count != 2)
        {
            throw NodeChecks.Unsupported(node, $"it multiplies by '{weights.Name}' of rank {weights.Dims.Count}; a dense layer's weights have rank 2");
        }

        if (!_usedWeights.Add(weights))
        {
            throw NodeChecks.Unsupported(node, $"its weights '{weights.Name}' are another layer's too; tied weights are not imported");
        }

        long rows = TensorDecoder.CheckDimension(weights.Dims[0], $"dimension 0 of '{weights.Name}'");
        long columns = TensorDecoder.CheckDimension(weights.Dims[1], $"dimension 1 of '{weights.Name}'");
        long inputs = transposed ? columns : rows;
        long outputs = transposed ? rows : columns;
        if (inputs == 0 || outputs == 0)
        {
            throw NodeChecks.Unsupported(node, $"its weights '{weights.Name}' are {rows} × {columns}; a dense layer has at least one input and one output");
        }

        long features = CurrentShape[^1];
        if (features >= 0 && features != inputs)
        {
            throw new OnnxFormatException(
                $"ONNX node '{node.Name}' ({node.OpType}) takes {inputs} features but its input '{Current}' has {features}.");
        }

        var layer = new LayerSpec(node, weights, transposed, (int)inputs, (int)outputs) { Output = node.Output[0] };
        Layers.Add(layer);
        Current = node.Output[0];
        CurrentShape = [CurrentShape[0], outputs];
        return layer;
    }

    /// <summary>Checks the end of the chain is batch × features, as a dense layer takes it.</summary>
    public void RequireMatrixInput(NodeProto node)
    {
        if (CurrentShape.Length != 2)
        {
            throw NodeChecks.Unsupported(node, $"its input '{Current}' has rank {CurrentShape.Length}; a dense layer takes batch × features (put a Flatten before it)");
        }
    }

    /// <summary>Checks <paramref name="node"/> reads the end of the chain through <paramref name="input"/>.</summary>
    public void TakeCurrent(NodeProto node, string input)
    {
        if (input != Current)
        {
            throw UndefinedOrBranch(node, input);
        }
    }

    /// <summary>The stored tensor called <paramref name="name"/> that <paramref name="node"/> takes as a parameter.</summary>
    public TensorProto Constant(NodeProto node, string name) =>
        Constants.TryGetValue(name, out TensorProto? tensor)
            ? tensor
            : name == Current || Graph.Node.Any(n => n.Output.Contains(name)) || Graph.Input.Any(i => i.Name == name)
                ? throw NodeChecks.Unsupported(node, $"its parameter '{name}' is computed in the graph rather than stored; only stored weights are read")
                : throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) uses '{name}', which no initializer or node defines.");

    /// <summary>Records <paramref name="tensor"/> as the stored tensor called <paramref name="name"/>.</summary>
    public void Define(NodeProto node, string name, TensorProto tensor)
    {
        if (!Constants.TryAdd(name, tensor))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) defines '{name}', which is already defined.");
        }
    }

    /// <summary>
    /// The exception for a node reading <paramref name="input"/> off the chain: unsupported when something defines it
    /// (the graph branches), malformed when nothing does.
    /// </summary>
    public Exception UndefinedOrBranch(NodeProto node, string input) =>
        Constants.ContainsKey(input) || Graph.Node.Any(n => n.Output.Contains(input)) || Graph.Input.Any(i => i.Name == input)
            ? NodeChecks.Unsupported(node, $"it reads '{input}' where a chain of layers would read '{Current}'; NeuralNet imports graphs that are one chain")
            : new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) reads '{input}', which no input, initializer or earlier node defines.");
}
