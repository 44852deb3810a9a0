using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>Builds the ONNX model of a network: one Gemm (or MatMul + Add) per dense layer, one node per activation.</summary>
internal static partial class OnnxWriter
{
    public static ModelProto Write<T>(Network<T> network, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int elementType = ElementType<T>();
        var graph = new GraphProto
        {
            Name = "NeuralNet",
            DocString = network.ToString(),
        };
        var model = new ModelProto
        {
            IrVersion = IrVersionFor(options.OpsetVersion),
            ProducerName = "NeuralNet",
            ProducerVersion = ProducerVersion(),
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxNames.DefaultDomain, Version = options.OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxNames.LossKey, Value = network.Loss.Name });
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = OnnxNames.OutputKey,
            Value = options.Output == OnnxOutput.Logits ? OnnxNames.LogitsOutput : OnnxNames.PredictionsOutput,
        });

        graph.Input.Add(ValueInfo(options.InputName, elementType, options.BatchDimensionName, network.InputSize));
        graph.Output.Add(ValueInfo(options.OutputName, elementType, options.BatchDimensionName, network.OutputSize));

        string current = options.InputName;
        int first = 0;
        if (network.Layers[0] is Normalization<T> normalization)
        {
            // The graph takes raw features: its first nodes standardise them, as the network's first layer does.
            current = ScalingWriter.Normalization(graph, normalization, current, elementType);
            first = 1;
        }

        var images = new ImageLayerWriter(graph, elementType, options.OpsetVersion);
        for (int l = first; l < network.Layers.Count; l++)
        {
            string layerPrefix = string.Create(CultureInfo.InvariantCulture, $"{network.Layers[l].Name}{l}");
            if (ImageLayerWriter.Writes(network.Layers[l]))
            {
                current = images.Write(network.Layers[l], layerPrefix, current);
                continue;
            }

            if (network.Layers[l] is not Dropout<T>)
            {
                current = images.ToRows(layerPrefix, current);
            }

            switch (network.Layers[l])
            {
                case Dropout<T>:
                    // Dropout is the identity in inference, and an ONNX graph is for inference: it leaves no node.
                    continue;
                case BatchNormalization<T> batchNormalization:
                    current = NormalizationLayerWriter.BatchNormalization(graph, batchNormalization, layerPrefix, current, elementType);
                    continue;
                case LayerNormalization<T> layerNormalization:
                    current = NormalizationLayerWriter.LayerNormalization(graph, layerNormalization, layerPrefix, current, elementType, options.OpsetVersion);
                    continue;
                case ActivationLayer<T> { Activation.IsIdentity: true }:
                    // The identity computes nothing, and leaves no node, as dropout.
                    continue;
                case ActivationLayer<T> activationLayer:
                    current = WriteActivation(graph, activationLayer.Activation, layerPrefix, current, elementType, options.OpsetVersion);
                    continue;
            }

            if (network.Layers[l] is not Dense<T> dense)
            {
                throw new NotSupportedException($"Layer {l}, {network.Layers[l]} (type '{network.Layers[l].Name}'), has no ONNX form in this exporter, which writes dense, dropout, batch normalization, layer normalization and image layers (and a normalization layer first).");
            }

            string prefix = string.Create(CultureInfo.InvariantCulture, $"dense{l}");
            current = options.DenseEncoding == OnnxDenseEncoding.Gemm
                ? WriteGemm(graph, dense, prefix, current, elementType)
                : WriteMatMulAdd(graph, dense, prefix, current, elementType);
            if (!dense.Activation.IsIdentity)
            {
                current = WriteActivation(graph, dense.Activation, prefix, current, elementType, options.OpsetVersion);
            }
        }

        current = images.ToRows(string.Create(CultureInfo.InvariantCulture, $"{network.Layers[^1].Name}{network.Layers.Count - 1}"), current);
        if (options.Output == OnnxOutput.Predictions && !network.Loss.OutputActivation.IsIdentity)
        {
            // The loss's link to predictions (softmax, the logistic function) ends the graph, so it outputs what Predict returns.
            current = WriteActivation(graph, network.Loss.OutputActivation, network.Loss.Name, current, elementType, options.OpsetVersion);
        }

        if (network.TargetScaler is { } targetScaler)
        {
            // Served predictions come in the targets' units: what PredictInTargetUnits returns.
            ScalingWriter.TargetScaling(graph, targetScaler, current, elementType);
        }

        ScalingWriter.Names(model, network.FeatureNames, network.ClassNames);

        // The last node's output is the graph's output: renaming it there keeps every other name generated.
        graph.Node[^1].Output[0] = options.OutputName;
        return model;
    }

    /// <summary>Whether the writer may give <paramref name="name"/> to a tensor, so the input and output names cannot clash with one.</summary>
    public static bool IsGeneratedName(string name) => GeneratedTensorName().IsMatch(name) || ImageLayerWriter.IsGeneratedName(name);

    [GeneratedRegex(@"^(dense[0-9]+\.(weight|bias|slope|xw|z|scaled|a|c_[a-z0-9]+|t[0-9]+)|(softmax_cross_entropy|sigmoid_binary_cross_entropy)\.a|normalization\.(mean|standard_deviation|centred|a)|(batch_normalization|layer_normalization)[0-9]+\.(gamma|beta|running_mean|running_variance|epsilon|mean|centred|squared|variance|shifted|deviation|normalized|scaled|a)|target_scaling\.(scale|offset|scaled|a)|activation[0-9]+\.(slope|scaled|a|c_[a-z0-9]+|t[0-9]+))$", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedTensorName();

    /// <summary>The lowest IR version that may carry <paramref name="opset"/> (the ONNX versioning table).</summary>
    internal static long IrVersionFor(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private static string WriteGemm<T>(GraphProto graph, Dense<T> dense, string prefix, string input, int elementType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Dense<T> keeps W (inputs × outputs) column by column, which read row by row is Wᵀ (outputs × inputs):
        // the layout PyTorch writes for nn.Linear, used here with transB = 1 so the values go out unchanged.
        T[] weights = dense.Weights.Value.ToColumnMajorArray();
        graph.Initializer.Add(Tensor($"{prefix}.weight", elementType, [dense.OutputSize, dense.InputSize], weights));
        graph.Initializer.Add(Tensor($"{prefix}.bias", elementType, [dense.OutputSize], dense.Biases.Value.ToColumnMajorArray()));

        NodeProto gemm = Node("Gemm", $"{prefix}/Gemm", [input, $"{prefix}.weight", $"{prefix}.bias"], $"{prefix}.z");
        gemm.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
        gemm.Attribute.Add(new AttributeProto { Name = "beta", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);
        return gemm.Output[0];
    }

    private static string WriteMatMulAdd<T>(GraphProto graph, Dense<T> dense, string prefix, string input, int elementType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // MatMul multiplies by W as stored: inputs × outputs, row by row.
        T[] weights = dense.Weights.Value.ToRowMajorArray();
        graph.Initializer.Add(Tensor($"{prefix}.weight", elementType, [dense.InputSize, dense.OutputSize], weights));
        graph.Initializer.Add(Tensor($"{prefix}.bias", elementType, [dense.OutputSize], dense.Biases.Value.ToColumnMajorArray()));

        NodeProto matMul = Node("MatMul", $"{prefix}/MatMul", [input, $"{prefix}.weight"], $"{prefix}.xw");
        NodeProto add = Node("Add", $"{prefix}/Add", [matMul.Output[0], $"{prefix}.bias"], $"{prefix}.z");
        graph.Node.Add(matMul);
        graph.Node.Add(add);
        return add.Output[0];
    }

    internal static string WriteActivation(GraphProto graph, Activation activation, string prefix, string input, int elementType, int opset)
    {
        switch (activation.Name)
        {
            case "silu":
                return CompositeWriter.Silu(graph, prefix, input);
            case "gelu" or "gelu_tanh" when opset >= OnnxActivations.GeluOpset:
                return CompositeWriter.GeluOperator(graph, prefix, input, tanh: activation.Name == "gelu_tanh");
            case "gelu":
                return CompositeWriter.GeluErf(graph, prefix, input, elementType);
            case "gelu_tanh":
                return CompositeWriter.GeluTanh(graph, prefix, input, elementType);
        }

        string opType = OnnxActivations.OperatorOf(activation.Name)
            ?? throw new NotSupportedException($"The activation '{activation}' has no ONNX operator in this exporter, which writes {string.Join(", ", OnnxActivations.Names)}.");
        if (opType == "LeakyRelu" && elementType == (int)TensorProto.Types.DataType.Double)
        {
            return WriteDoubleLeakyRelu(graph, activation.GetConfig().GetDouble("slope"), prefix, input);
        }

        NodeProto node = Node(opType, $"{prefix}/{opType}", [input], $"{prefix}.a");
        switch (opType)
        {
            case "LeakyRelu":
                // A float network computes with the slope rounded to float, exactly what the float attribute holds.
                node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = (float)activation.GetConfig().GetDouble("slope") });
                break;
            case "Softmax":
                // Rows are samples: the probabilities run along axis 1 whatever the opset's default.
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                break;
            case "Elu":
                // The attribute is a float: a double network's alpha goes out rounded to float, as LeakyRelu's would.
                node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = (float)activation.GetConfig().GetDouble("alpha") });
                break;
            case "Selu":
                // Written out, though they are Selu's defaults: PyTorch's constants rounded to float.
                node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = (float)Selu.Alpha });
                node.Attribute.Add(new AttributeProto { Name = "gamma", Type = AttributeProto.Types.AttributeType.Float, F = (float)Selu.Scale });
                break;
        }

        graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>
    /// Leaky ReLU for double as <c>Max(x, slope·x)</c>, equal to it for slopes in [0, 1): the LeakyRelu operator's
    /// <c>alpha</c> is a float, which would round a double network's slope, and ONNX Runtime's CPU provider has no
    /// double LeakyRelu kernel at every opset, while Mul and Max run in double everywhere.
    /// </summary>
    private static string WriteDoubleLeakyRelu(GraphProto graph, double slope, string prefix, string input)
    {
        graph.Initializer.Add(Tensor($"{prefix}.slope", (int)TensorProto.Types.DataType.Double, [], new[] { slope }));
        NodeProto mul = Node("Mul", $"{prefix}/LeakyRelu/Mul", [input, $"{prefix}.slope"], $"{prefix}.scaled");
        NodeProto max = Node("Max", $"{prefix}/LeakyRelu/Max", [input, mul.Output[0]], $"{prefix}.a");
        graph.Node.Add(mul);
        graph.Node.Add(max);
        return max.Output[0];
    }

    /// <summary>A node of the default domain computing <paramref name="opType"/> of <paramref name="inputs"/> into <paramref name="output"/>.</summary>
    internal static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name, Domain = OnnxNames.DefaultDomain };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, string batchName, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchName });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    /// <summary>A stored tensor of <paramref name="elementType"/> holding <paramref name="values"/> in little-endian raw data.</summary>
    internal static TensorProto Tensor<T>(string name, int elementType, long[] dims, T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = new TensorProto { Name = name, DataType = elementType };
        tensor.Dims.AddRange(dims);

        // raw_data is little-endian whatever the machine, as the specification requires.
        int size = typeof(T) == typeof(float) ? sizeof(float) : sizeof(double);
        byte[] raw = new byte[values.Length * size];
        for (int k = 0; k < values.Length; k++)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(k * size), float.CreateTruncating(values[k]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(k * size), double.CreateTruncating(values[k]));
            }
        }

        tensor.RawData = ByteString.CopyFrom(raw);
        return tensor;
    }

    internal static int ElementType<T>() => typeof(T) == typeof(float)
        ? (int)TensorProto.Types.DataType.Float
        : (int)TensorProto.Types.DataType.Double;

    private static string ProducerVersion()
    {
        Version? version = typeof(Network).Assembly.GetName().Version;
        return version is null ? string.Empty : version.ToString(3);
    }
}
