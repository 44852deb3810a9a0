using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Google.Protobuf;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Reads an ONNX model that is a chain of dense layers and activations into a network: Gemm, or MatMul followed
/// by Add, for each layer; Relu, LeakyRelu, Sigmoid, Tanh or Softmax after it; Flatten, Identity and Constant
/// nodes where exporters put them.
/// </summary>
/// <remarks>
/// Every size is checked against the data actually present before anything is allocated, so a file that
/// claims absurd dimensions costs no more memory than its own length.
/// </remarks>
internal sealed class OnnxReader
{
    /// <summary>The default-domain opsets whose Gemm, MatMul, Add, Flatten and activations this reader knows.</summary>
    internal const int MinimumOpset = 7;

    /// <summary>The highest default-domain opset accepted: no operator read here changed meaning up to it.</summary>
    internal const int MaximumOpset = 25;

    /// <summary>The attributes the ONNX specification defines for each operator read here; any other makes a node invalid.</summary>
    private static readonly Dictionary<string, string[]> KnownAttributes = new(StringComparer.Ordinal)
    {
        ["Gemm"] = ["alpha", "beta", "transA", "transB"],
        ["MatMul"] = [],
        ["Add"] = [],
        ["Mul"] = [],
        ["Max"] = [],
        ["Relu"] = [],
        ["LeakyRelu"] = ["alpha"],
        ["Sigmoid"] = [],
        ["Tanh"] = [],
        ["Softmax"] = ["axis"],
        ["Flatten"] = ["axis"],
        ["Identity"] = [],
    };

    private readonly ModelProto _model;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);

    /// <summary>Every tensor name the graph has defined so far: ONNX names each value once.</summary>
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

    /// <summary>The weight tensors layers have taken, so a tensor named by many nodes cannot multiply the memory a file costs.</summary>
    private readonly HashSet<TensorProto> _usedWeights = new(ReferenceEqualityComparer.Instance);
    private readonly List<LayerSpec> _layers = [];
    private int _opset;
    private string _current = string.Empty;
    private long[] _currentShape = [];

    /// <summary>The slope·x half of a leaky ReLU read as Mul, waiting for its Max.</summary>
    private (string Node, string Output, double Slope)? _scaled;

    private OnnxReader(ModelProto model) => _model = model;

    public static Network<T> Read<T>(ReadOnlySpan<byte> data, OnnxImportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"The data is not an ONNX model: the protobuf parser stopped with \"{e.Message}\" ({data.Length} bytes).", e);
        }

        var reader = new OnnxReader(model);
        reader.ReadGraph();
        return reader.Build<T>(options);
    }

    private GraphProto Graph => _model.Graph;

    private void ReadGraph()
    {
        if (_model.Graph is null)
        {
            throw new OnnxFormatException("The ONNX model has no graph (ModelProto field 7 is missing).");
        }

        _opset = DefaultOpset();
        foreach (TensorProto initializer in Graph.Initializer)
        {
            if (!_constants.TryAdd(initializer.Name, initializer) || !_defined.Add(initializer.Name))
            {
                throw new OnnxFormatException($"The graph defines the initializer '{initializer.Name}' twice.");
            }
        }

        ReadInput();
        foreach (NodeProto node in Graph.Node)
        {
            ReadNode(node);
        }

        if (_scaled is { } scaled)
        {
            throw new NotSupportedException($"ONNX node '{scaled.Node}' (op type 'Mul') is not supported: it is read only as the first half of a leaky ReLU, Max(x, slope·x), and no Max follows it.");
        }

        if (_layers.Count == 0)
        {
            throw new NotSupportedException("The ONNX graph has no Gemm or MatMul node: NeuralNet imports graphs of dense layers.");
        }

        if (Graph.Output.Count != 1)
        {
            throw new NotSupportedException($"The ONNX graph has {Graph.Output.Count} outputs; NeuralNet imports graphs with exactly one.");
        }

        if (Graph.Output[0].Name != _current)
        {
            throw new NotSupportedException(
                $"The ONNX graph's output '{Graph.Output[0].Name}' is not the end of its chain of layers ('{_current}').");
        }
    }

    private int DefaultOpset()
    {
        OperatorSetIdProto[] opsets = [.. _model.OpsetImport.Where(o => OnnxNames.IsDefaultDomain(o.Domain))];
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

    private void ReadInput()
    {
        // Older exporters list the initializers among the inputs too; the data input is the one that is not one.
        ValueInfoProto[] inputs = Graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1)
        {
            throw new NotSupportedException(
                $"The ONNX graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); NeuralNet imports graphs with exactly one.");
        }

        ValueInfoProto input = inputs[0];
        _current = input.Name;
        _defined.Add(input.Name);
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null)
        {
            throw new NotSupportedException($"The ONNX graph's input '{input.Name}' is not a tensor.");
        }

        CheckElementType(tensor.ElemType, $"The graph's input '{input.Name}'");
        if (tensor.Shape is null)
        {
            // No shape recorded: the first layer's weights will say how many features a sample has.
            _currentShape = [-1, -1];
            return;
        }

        if (tensor.Shape.Dim.Count < 2)
        {
            throw new NotSupportedException(
                $"The ONNX graph's input '{input.Name}' has rank {tensor.Shape.Dim.Count}; NeuralNet imports a batch × features input (rank 2, or higher followed by Flatten).");
        }

        _currentShape = tensor.Shape.Dim
            .Select((d, k) => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
                ? CheckDimension(d.DimValue, $"dimension {k} of the graph's input '{input.Name}'")
                : -1)
            .ToArray();
    }

    private void ReadNode(NodeProto node)
    {
        foreach (string output in node.Output)
        {
            if (output.Length > 0 && !_defined.Add(output))
            {
                throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) defines '{output}', which is already defined.");
            }
        }

        if (_scaled is not null && node.OpType != "Max")
        {
            throw Unsupported(node, $"it follows the Mul '{_scaled.Value.Node}', which is read only as the first half of a leaky ReLU, Max(x, slope·x)");
        }

        if (!OnnxNames.IsDefaultDomain(node.Domain))
        {
            throw Unsupported(node, $"it belongs to the operator domain '{node.Domain}', not ai.onnx");
        }

        if (KnownAttributes.TryGetValue(node.OpType, out string[]? known))
        {
            AttributeProto? unknown = node.Attribute.FirstOrDefault(a => !known.Contains(a.Name));
            if (unknown is not null)
            {
                throw new OnnxFormatException(
                    $"ONNX node '{node.Name}' ({node.OpType}) has the attribute '{unknown.Name}', which {node.OpType} does not define{(known.Length > 0 ? $" (it takes {string.Join(", ", known)})" : string.Empty)}.");
            }
        }

        switch (node.OpType)
        {
            case "Constant":
                ReadConstant(node);
                return;
            case "Identity":
                ReadIdentity(node);
                return;
            case "Flatten":
                ReadFlatten(node);
                return;
            case "Gemm":
                ReadGemm(node);
                return;
            case "MatMul":
                ReadMatMul(node);
                return;
            case "Add":
                ReadAdd(node);
                return;
            case "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "Softmax":
                ReadActivation(node);
                return;
            case "Mul":
                ReadLeakyReluMul(node);
                return;
            case "Max":
                ReadLeakyReluMax(node);
                return;
            default:
                throw Unsupported(node, "NeuralNet imports Gemm, MatMul, Add, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Flatten, Identity and Constant, and Max(x, slope·x) as a leaky ReLU");
        }
    }

    private void ReadConstant(NodeProto node)
    {
        Outputs(node, 1);
        AttributeProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value");
        if (value is null || value.T is null || node.Attribute.Count != 1)
        {
            throw Unsupported(node, "only a Constant whose single attribute is the tensor 'value' is read");
        }

        Define(node, node.Output[0], value.T);
    }

    private void ReadIdentity(NodeProto node)
    {
        string input = Inputs(node, 1, 1)[0];
        Outputs(node, 1);
        if (input == _current)
        {
            Advance(node.Output[0]);
        }
        else if (_constants.TryGetValue(input, out TensorProto? constant))
        {
            Define(node, node.Output[0], constant);
        }
        else
        {
            throw UndefinedOrBranch(node, input);
        }
    }

    private void ReadFlatten(NodeProto node)
    {
        TakeCurrent(node, Inputs(node, 1, 1)[0]);
        Outputs(node, 1);
        long axis = IntAttribute(node, "axis", 1);
        if (axis < 0)
        {
            axis += _currentShape.Length;
        }

        if (axis != 1)
        {
            throw Unsupported(node, $"Flatten with axis {IntAttribute(node, "axis", 1)} is read only as axis 1 (keep the batch, flatten the rest)");
        }

        long features = 1;
        foreach (long d in _currentShape.Skip(1))
        {
            features = d < 0 || features < 0 ? -1 : CheckDimension(features * d, $"the features Flatten '{node.Name}' produces");
        }

        _currentShape = [_currentShape[0], features];
        Advance(node.Output[0]);
    }

    /// <summary>Moves the end of the chain to <paramref name="output"/> through a node that leaves the values as they are.</summary>
    private void Advance(string output)
    {
        if (_layers.Count > 0 && _layers[^1].Output == _current)
        {
            _layers[^1].Output = output;
        }

        _current = output;
    }

    private void ReadGemm(NodeProto node)
    {
        string[] inputs = Inputs(node, 2, 3);
        Outputs(node, 1);
        TakeCurrent(node, inputs[0]);
        RequireMatrixInput(node);
        // An empty third input name is ONNX's way of leaving C out; beta then multiplies nothing.
        bool hasBias = inputs.Length == 3 && inputs[2].Length > 0;
        if (FloatAttribute(node, "alpha", 1f) != 1f || IntAttribute(node, "transA", 0) != 0
            || (hasBias && FloatAttribute(node, "beta", 1f) != 1f))
        {
            throw Unsupported(node, "only Gemm with alpha = 1, beta = 1 and transA = 0 is a dense layer");
        }

        // transB is a flag: any value but 0 transposes, as ONNX Runtime reads it.
        TensorProto weights = Constant(node, inputs[1]);
        LayerSpec layer = AddLayer(node, weights, transposed: IntAttribute(node, "transB", 0) != 0);
        if (hasBias)
        {
            layer.SetBias(node, Constant(node, inputs[2]));
        }
    }

    private void ReadMatMul(NodeProto node)
    {
        string[] inputs = Inputs(node, 2, 2);
        Outputs(node, 1);
        TakeCurrent(node, inputs[0]);
        RequireMatrixInput(node);
        AddLayer(node, Constant(node, inputs[1]), transposed: false);
    }

    private void ReadAdd(NodeProto node)
    {
        string[] inputs = Inputs(node, 2, 2);
        Outputs(node, 1);

        // The bias of the layer just read, on either side of the Add (addition commutes, exporters differ).
        LayerSpec? layer = _layers.Count > 0 ? _layers[^1] : null;
        string? bias = inputs[0] == _current ? inputs[1] : inputs[1] == _current ? inputs[0] : null;
        if (bias is null)
        {
            throw UndefinedOrBranch(node, inputs[0] == _current ? inputs[1] : inputs[0]);
        }

        if (layer is null || layer.Output != _current || layer.HasBias || layer.Activation is not null || _scaled is not null)
        {
            throw Unsupported(node, "an Add is read only as the bias of the Gemm or MatMul right before it, ahead of any activation");
        }

        layer.SetBias(node, Constant(node, bias));
        layer.Output = node.Output[0];
        _current = node.Output[0];
    }

    private void ReadActivation(NodeProto node)
    {
        string input = Inputs(node, 1, 1)[0];
        Outputs(node, 1);
        TakeCurrent(node, input);
        LayerSpec? layer = _layers.Count > 0 ? _layers[^1] : null;
        if (layer is null || layer.Output != input || layer.Activation is not null)
        {
            throw Unsupported(node, "an activation is read only right after a dense layer (Gemm, or MatMul + Add), one per layer");
        }

        layer.Activation = node.OpType switch
        {
            "Relu" => Activation.Relu,
            "Sigmoid" => Activation.Sigmoid,
            "Tanh" => Activation.Tanh,
            "Softmax" => ReadSoftmax(node),
            _ => ReadLeakyRelu(node),
        };
        layer.Output = node.Output[0];
        _current = node.Output[0];
    }

    /// <summary>The first half of <c>Max(x, slope·x)</c>, the leaky ReLU NeuralNet writes for double networks.</summary>
    private void ReadLeakyReluMul(NodeProto node)
    {
        string[] inputs = Inputs(node, 2, 2);
        Outputs(node, 1);
        string? factor = inputs[0] == _current ? inputs[1] : inputs[1] == _current ? inputs[0] : null;
        LayerSpec? layer = _layers.Count > 0 ? _layers[^1] : null;
        if (factor is null || layer is null || layer.Output != _current || layer.Activation is not null)
        {
            throw Unsupported(node, "a Mul is read only as the slope·x of a leaky ReLU, Max(x, slope·x), right after a dense layer");
        }

        TensorProto slope = Constant(node, factor);
        if (slope.Dims.Count > 2 || slope.Dims.Any(d => d != 1))
        {
            throw Unsupported(node, $"its factor '{factor}' has shape [{string.Join(", ", slope.Dims)}], not a single slope");
        }

        double value = TensorValues<double>(slope, node, 1)[0];
        if (value is not (>= 0 and < 1))
        {
            throw Unsupported(node, $"its slope {value.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1), where Max(x, slope·x) is a leaky ReLU");
        }

        _scaled = (node.Name, node.Output[0], value);
    }

    /// <summary>The second half of <c>Max(x, slope·x)</c>.</summary>
    private void ReadLeakyReluMax(NodeProto node)
    {
        if (node.Input.Count != 2)
        {
            throw Unsupported(node, $"it takes {node.Input.Count} inputs; a Max is read only as Max(x, slope·x), a leaky ReLU");
        }

        string[] inputs = [.. node.Input];
        Outputs(node, 1);
        if (_scaled is not { } scaled || !((inputs[0] == _current && inputs[1] == scaled.Output) || (inputs[1] == _current && inputs[0] == scaled.Output)))
        {
            throw Unsupported(node, "a Max is read only as Max(x, slope·x), a leaky ReLU right after a dense layer");
        }

        _scaled = null;
        _layers[^1].Activation = Activation.LeakyRelu(scaled.Slope);
        _layers[^1].Output = node.Output[0];
        _current = node.Output[0];
    }

    private Softmax ReadSoftmax(NodeProto node)
    {
        // Before opset 13 Softmax flattened to 2-D from its axis (default 1); since, it runs along its axis (default
        // −1). On a batch × units tensor both readings of axis 1 or −1 are "along each row".
        long axis = IntAttribute(node, "axis", _opset >= 13 ? -1 : 1);
        if (axis is not (1 or -1))
        {
            throw Unsupported(node, $"Softmax along axis {axis} is not along each sample (axis 1 or -1)");
        }

        return Activation.Softmax;
    }

    private static LeakyRelu ReadLeakyRelu(NodeProto node)
    {
        float alpha = FloatAttribute(node, "alpha", 0.01f);
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw Unsupported(node, $"LeakyRelu alpha {alpha.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1)");
        }

        // The attribute is a float; the slope someone wrote (0.01, 0.2) is the shortest decimal that rounds to it.
        // Reading it back as that decimal gives float networks the same slope and double networks the intended one.
        return Activation.LeakyRelu(double.Parse(alpha.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    private LayerSpec AddLayer(NodeProto node, TensorProto weights, bool transposed)
    {
        if (weights.Dims.Count != 2)
        {
            throw Unsupported(node, $"it multiplies by '{weights.Name}' of rank {weights.Dims.Count}; a dense layer's weights have rank 2");
        }

        if (!_usedWeights.Add(weights))
        {
            throw Unsupported(node, $"its weights '{weights.Name}' are another layer's too; tied weights are not imported");
        }

        long rows = CheckDimension(weights.Dims[0], $"dimension 0 of '{weights.Name}'");
        long columns = CheckDimension(weights.Dims[1], $"dimension 1 of '{weights.Name}'");
        long inputs = transposed ? columns : rows;
        long outputs = transposed ? rows : columns;
        if (inputs == 0 || outputs == 0)
        {
            throw Unsupported(node, $"its weights '{weights.Name}' are {rows} × {columns}; a dense layer has at least one input and one output");
        }

        long features = _currentShape[^1];
        if (features >= 0 && features != inputs)
        {
            throw new OnnxFormatException(
                $"ONNX node '{node.Name}' ({node.OpType}) takes {inputs} features but its input '{_current}' has {features}.");
        }

        var layer = new LayerSpec(node, weights, transposed, (int)inputs, (int)outputs) { Output = node.Output[0] };
        _layers.Add(layer);
        _current = node.Output[0];
        _currentShape = [_currentShape[0], outputs];
        return layer;
    }

    private void RequireMatrixInput(NodeProto node)
    {
        if (_currentShape.Length != 2)
        {
            throw Unsupported(node, $"its input '{_current}' has rank {_currentShape.Length}; a dense layer takes batch × features (put a Flatten before it)");
        }
    }

    private void TakeCurrent(NodeProto node, string input)
    {
        if (input != _current)
        {
            throw UndefinedOrBranch(node, input);
        }
    }

    private TensorProto Constant(NodeProto node, string name) =>
        _constants.TryGetValue(name, out TensorProto? tensor)
            ? tensor
            : name == _current || Graph.Node.Any(n => n.Output.Contains(name)) || Graph.Input.Any(i => i.Name == name)
                ? throw Unsupported(node, $"its parameter '{name}' is computed in the graph rather than stored; only stored weights are read")
                : throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) uses '{name}', which no initializer or node defines.");

    private void Define(NodeProto node, string name, TensorProto tensor)
    {
        if (!_constants.TryAdd(name, tensor))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) defines '{name}', which is already defined.");
        }
    }

    private Exception UndefinedOrBranch(NodeProto node, string input) =>
        _constants.ContainsKey(input) || Graph.Node.Any(n => n.Output.Contains(input)) || Graph.Input.Any(i => i.Name == input)
            ? Unsupported(node, $"it reads '{input}' where a chain of layers would read '{_current}'; NeuralNet imports graphs that are one chain")
            : new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) reads '{input}', which no input, initializer or earlier node defines.");

    private static string[] Inputs(NodeProto node, int minimum, int maximum)
    {
        if (node.Input.Count < minimum || node.Input.Count > maximum)
        {
            string expected = minimum == maximum ? $"{minimum}" : $"{minimum} to {maximum}";
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {node.Input.Count} inputs; it takes {expected}.");
        }

        return [.. node.Input];
    }

    private static void Outputs(NodeProto node, int count)
    {
        if (node.Output.Count != count || node.Output.Any(o => o.Length == 0))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {node.Output.Count} outputs; it produces {count}.");
        }
    }

    private static long IntAttribute(NodeProto node, string name, long fallback) =>
        Attribute(node, name, AttributeProto.Types.AttributeType.Int)?.I ?? fallback;

    private static float FloatAttribute(NodeProto node, string name, float fallback)
    {
        AttributeProto? attribute = Attribute(node, name, AttributeProto.Types.AttributeType.Float);
        if (attribute is not null && !float.IsFinite(attribute.F))
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) is {attribute.F}; it must be finite.");
        }

        return attribute?.F ?? fallback;
    }

    /// <summary>The attribute called <paramref name="name"/>, checked to be of <paramref name="type"/>; null when absent.</summary>
    private static AttributeProto? Attribute(NodeProto node, string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);

        // IR version 1 files carry no type: the value field in use says it.
        if (attribute is not null && attribute.Type != type && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
        {
            throw new OnnxFormatException(
                $"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) is a {attribute.Type}; it must be {(type == AttributeProto.Types.AttributeType.Int ? "an" : "a")} {type.ToString().ToUpperInvariant()}.");
        }

        // An attribute holds one value: a second field set beside its own leaves its meaning in doubt.
        bool otherField = type == AttributeProto.Types.AttributeType.Int ? attribute?.F != 0f : attribute?.I != 0L;
        if (attribute is not null && (otherField || !attribute.S.IsEmpty || attribute.T is not null
            || attribute.Floats.Count > 0 || attribute.Ints.Count > 0 || attribute.Strings.Count > 0))
        {
            throw new OnnxFormatException($"Attribute '{name}' of ONNX node '{node.Name}' ({node.OpType}) sets value fields other than its {type.ToString().ToUpperInvariant()}.");
        }

        return attribute;
    }

    private static void CheckElementType(int elementType, string what)
    {
        if (elementType is not ((int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double))
        {
            string name = Enum.IsDefined(typeof(TensorProto.Types.DataType), elementType)
                ? ((TensorProto.Types.DataType)elementType).ToString().ToUpperInvariant()
                : elementType.ToString(CultureInfo.InvariantCulture);
            throw new NotSupportedException($"{what} has element type {name}; NeuralNet imports FLOAT and DOUBLE.");
        }
    }

    /// <summary>A dimension is a count of elements of a dense matrix: from 0 to int.MaxValue.</summary>
    private static long CheckDimension(long value, string what) =>
        value is < 0 or > int.MaxValue
            ? throw new OnnxFormatException($"The ONNX model gives {what} as {value}; a dimension must be from 0 to {int.MaxValue}.")
            : value;

    private static NotSupportedException Unsupported(NodeProto node, string why) =>
        new($"ONNX node '{node.Name}' (op type '{node.OpType}') is not supported: {why}.");

    private Network<T> Build<T>(OnnxImportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (LayerSpec layer in _layers)
        {
            layer.ReadValues<T>();
        }

        LayerSpec last = _layers[^1];
        Activation lastActivation = last.Activation ?? Activation.Identity;
        Loss loss = options.Loss ?? RecordedLoss(lastActivation) ?? lastActivation switch
        {
            Softmax => Loss.SoftmaxCrossEntropy,
            Sigmoid => Loss.SigmoidBinaryCrossEntropy,
            _ => Loss.MeanSquaredError,
        };
        if (loss.ExpectsLogits && !lastActivation.IsIdentity)
        {
            // A fused loss applies its own Softmax or Sigmoid: the graph's final one moves into the loss.
            bool folds = (loss is SoftmaxCrossEntropy && lastActivation is Softmax) || (loss is SigmoidBinaryCrossEntropy && lastActivation is Sigmoid);
            if (!folds)
            {
                throw new NotSupportedException(
                    $"The ONNX graph ends with {last.ActivationNode}, which the loss {loss.Name} cannot follow: it expects the last layer to output logits, or to end with {(loss is SoftmaxCrossEntropy ? "Softmax" : "Sigmoid")}.");
            }

            last.Activation = Activation.Identity;
        }

        var dense = _layers.Select(l => new Dense<T>(l.Inputs, l.Outputs, l.Activation ?? Activation.Identity)).ToArray();
        var network = new Network<T>(dense, loss, seed: 0);
        for (int l = 0; l < dense.Length; l++)
        {
            _layers[l].CopyTo(dense[l]);
        }

        return network;
    }

    /// <summary>
    /// The loss NeuralNet's exporter recorded, when this version knows it and the graph still ends the way the
    /// exporter said (with the loss's Softmax or Sigmoid for predictions, linear for logits); otherwise null.
    /// </summary>
    private Loss? RecordedLoss(Activation last)
    {
        string? name = _model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.LossKey)?.Value;
        string? output = _model.MetadataProps.FirstOrDefault(p => p.Key == OnnxNames.OutputKey)?.Value;
        Loss[] known = [Loss.MeanSquaredError, Loss.SoftmaxCrossEntropy, Loss.SigmoidBinaryCrossEntropy];
        Loss? loss = known.FirstOrDefault(l => l.Name == name);
        if (loss is null || !loss.ExpectsLogits)
        {
            return loss;
        }

        bool endsWithItsFunction = (loss is SoftmaxCrossEntropy && last is Softmax) || (loss is SigmoidBinaryCrossEntropy && last is Sigmoid);
        return output switch
        {
            OnnxNames.PredictionsOutput when endsWithItsFunction => loss,
            OnnxNames.LogitsOutput when last.IsIdentity => loss,
            _ => null,
        };
    }

    /// <summary>One dense layer as read from the graph, before the network exists.</summary>
    private sealed class LayerSpec(NodeProto node, TensorProto weights, bool transposed, int inputs, int outputs)
    {
        private TensorProto? _bias;
        private bool _broadcastBias;
        private NodeProto? _biasNode;
        private Array? _weightValues;
        private Array? _biasValues;

        public int Inputs { get; } = inputs;

        public int Outputs { get; } = outputs;

        /// <summary>The name of the tensor this layer's last node produces.</summary>
        public string Output { get; set; } = string.Empty;

        public Activation? Activation { get; set; }

        public string ActivationNode => Activation is null ? "a linear layer" : $"{Activation}";

        public bool HasBias => _bias is not null;

        public void SetBias(NodeProto biasNode, TensorProto bias)
        {
            // A bias broadcasts along rows: a vector of the layer's outputs, one row of them, or a single value
            // (ONNX broadcasting allows the last; a shape that would mix samples is not a bias).
            bool shaped = (bias.Dims.Count == 1 && bias.Dims[0] == Outputs)
                || (bias.Dims.Count == 2 && bias.Dims[0] == 1 && bias.Dims[1] == Outputs);
            bool single = bias.Dims.Count <= 2 && bias.Dims.All(d => d == 1);
            if (!shaped && !single)
            {
                throw new OnnxFormatException(
                    $"The bias '{bias.Name}' of ONNX node '{biasNode.Name}' ({biasNode.OpType}) has shape [{string.Join(", ", bias.Dims)}]; the layer has {Outputs} outputs, so it must be [{Outputs}], [1, {Outputs}] or a single value.");
            }

            _broadcastBias = !shaped;
            _bias = bias;
            _biasNode = biasNode;
        }

        public void ReadValues<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            _weightValues = TensorValues<T>(weights, node, (long)Inputs * Outputs);
            _biasValues = _bias is null ? null : TensorValues<T>(_bias, _biasNode!, _broadcastBias ? 1 : Outputs);
        }

        public void CopyTo<T>(Dense<T> dense)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var source = (T[])_weightValues!;
            T[] target = dense.Weights.Value.AsColumnMajorArray();

            // Column-major W (inputs × outputs) is W read as outputs × inputs row by row: a transposed tensor
            // (Gemm transB = 1, PyTorch's layout) copies straight in; an inputs × outputs tensor is transposed.
            if (transposed)
            {
                source.CopyTo(target, 0);
            }
            else
            {
                for (int i = 0; i < Inputs; i++)
                {
                    for (int o = 0; o < Outputs; o++)
                    {
                        target[(o * Inputs) + i] = source[(i * Outputs) + o];
                    }
                }
            }

            T[] biases = dense.Biases.Value.AsColumnMajorArray();
            if (_biasValues is T[] bias)
            {
                if (_broadcastBias)
                {
                    Array.Fill(biases, bias[0]);
                }
                else
                {
                    bias.CopyTo(biases, 0);
                }
            }
            else
            {
                Array.Clear(biases);
            }
        }
    }

    /// <summary>The values of a float or double tensor as <typeparamref name="T"/>, after checking they are all there and finite.</summary>
    private static T[] TensorValues<T>(TensorProto tensor, NodeProto node, long expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string what = $"The tensor '{tensor.Name}' of ONNX node '{node.Name}' ({node.OpType})";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"{what} is stored in an external file; NeuralNet imports models that hold their weights.");
        }

        CheckElementType(tensor.DataType, what);
        bool isFloat = tensor.DataType == (int)TensorProto.Types.DataType.Float;
        int size = isFloat ? sizeof(float) : sizeof(double);
        int typed = isFloat ? tensor.FloatData.Count : tensor.DoubleData.Count;
        long count = tensor.RawData.Length > 0 ? tensor.RawData.Length / size : typed;
        if (tensor.RawData.Length > 0 && (typed > 0 || tensor.RawData.Length % size != 0))
        {
            throw new OnnxFormatException(
                $"{what} has {tensor.RawData.Length} bytes of raw data{(typed > 0 ? $" and {typed} typed values" : string.Empty)}; it must hold whole {(isFloat ? "FLOAT" : "DOUBLE")} values in one of the two.");
        }

        if (count != expected)
        {
            throw new OnnxFormatException($"{what} holds {count} values; its shape [{string.Join(", ", tensor.Dims)}] needs {expected}.");
        }

        var values = new T[count];
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        for (int k = 0; k < values.Length; k++)
        {
            double value = raw.Length > 0
                ? isFloat ? BinaryPrimitives.ReadSingleLittleEndian(raw[(k * size)..]) : BinaryPrimitives.ReadDoubleLittleEndian(raw[(k * size)..])
                : isFloat ? tensor.FloatData[k] : tensor.DoubleData[k];
            if (!double.IsFinite(value))
            {
                throw new OnnxFormatException($"{what} holds {value.ToString(CultureInfo.InvariantCulture)} at index {k}; weights must be finite.");
            }

            values[k] = T.CreateChecked(value);
            if (!T.IsFinite(values[k]))
            {
                throw new NotSupportedException($"{what} holds {value.ToString("R", CultureInfo.InvariantCulture)} at index {k}, beyond the range of {typeof(T).Name}; import it as double.");
            }
        }

        return values;
    }
}
