using System.Buffers.Binary;
using System.Numerics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// Writes the image layers: <c>Conv</c> (then its activation), <c>MaxPool</c>, <c>AveragePool</c>,
/// <c>GlobalAveragePool</c> and <c>Flatten</c>, on N × C × H × W tensors.
/// </summary>
/// <remarks>
/// <para>
/// The graph's input stays batch × C·H·W, as the network's <c>Predict</c> takes it: a <c>Reshape</c> to
/// [−1, C, H, W] goes before the first image layer, which is exact because a row holds its image channel-major, as
/// NCHW does. A <c>Flatten</c> (axis 1) goes wherever a 4-D tensor meets a layer that takes rows; NeuralNet's global
/// average pooling gives C features, so its <c>GlobalAveragePool</c> (N × C × 1 × 1) is followed by one too.
/// </para>
/// <para>
/// Conv2D's weights, (C·k·k) × F stored column by column, are PyTorch's [F, C, k, k] tensor: they go out unchanged.
/// Its pads are [top, left, bottom, right]: before, <see cref="Conv2D{T}.PaddingBefore"/>; after, what explicit
/// padding says, or else the least that gives the layer's output size, <c>max((out − 1)·stride + k − in − before, 0)</c>,
/// which for <c>same</c> is exactly what the layer pads. Pooling has no padding, and ONNX's output size without
/// <c>ceil_mode</c>, <c>⌊(in − k)/stride⌋ + 1</c>, is NeuralNet's: a pool that drops edges drops the same ones.
/// </para>
/// </remarks>
internal sealed partial class ImageLayerWriter(GraphProto graph, int elementType, int opset)
{
    /// <summary>The shape of the 4-D tensor at the end of the graph, or null while it is batch × features.</summary>
    private ImageShape? _image;

    /// <summary>Whether <paramref name="layer"/> is one of the image layers this writer writes.</summary>
    public static bool Writes<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        layer is Conv2D<T> or MaxPool2D<T> or AveragePool2D<T> or GlobalAveragePool<T> or Flatten<T>;

    /// <summary>Whether the writer may give <paramref name="name"/> to a tensor.</summary>
    public static bool IsGeneratedName(string name) => GeneratedTensorName().IsMatch(name);

    /// <summary>Writes <paramref name="layer"/>, an image layer, reading <paramref name="input"/>; the name of its output.</summary>
    public string Write<T>(Layer<T> layer, string prefix, string input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Conv2D<T> conv:
                return Conv(conv, prefix, ToImages(conv.InputShape, prefix, input));
            case MaxPool2D<T> pool:
                return Pool("MaxPool", pool.Size, pool.Stride, pool.OutputShape, prefix, ToImages(pool.InputShape, prefix, input));
            case AveragePool2D<T> pool:
                return Pool("AveragePool", pool.Size, pool.Stride, pool.OutputShape, prefix, ToImages(pool.InputShape, prefix, input));
            case GlobalAveragePool<T> pool:
                NodeProto global = OnnxWriter.Node("GlobalAveragePool", $"{prefix}/GlobalAveragePool", [ToImages(pool.InputShape, prefix, input)], $"{prefix}.pooled");
                graph.Node.Add(global);
                _image = new ImageShape(pool.InputShape.Channels, 1, 1);
                return Flatten(prefix, global.Output[0], $"{prefix}.a");
            case Flatten<T> flatten:
                // A Flatten first in the network finds rows (its images were never made 4-D): there is nothing to do.
                return _image is null ? input : Flatten(prefix, input, $"{prefix}.a");
            default:
                throw new ArgumentException($"{layer} is not an image layer.", nameof(layer));
        }
    }

    /// <summary>The end of the graph as rows, batch × features: a Flatten when it is a 4-D tensor.</summary>
    public string ToRows(string prefix, string input) => _image is null ? input : Flatten(prefix, input, $"{prefix}.flat");

    private string Conv<T>(Conv2D<T> conv, string prefix, string input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = conv.Kernel;
        ImageShape inShape = conv.InputShape;
        ImageShape outShape = conv.OutputShape;
        (int top, int left) = conv.PaddingBefore;
        bool isExplicit = conv.Padding.Name == "explicit";
        int bottom = isExplicit ? conv.Padding.Rows : After(inShape.Height, outShape.Height, k, conv.Stride, top);
        int right = isExplicit ? conv.Padding.Columns : After(inShape.Width, outShape.Width, k, conv.Stride, left);

        graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.weight", elementType, [conv.Filters, inShape.Channels, k, k], conv.Weights.Value.ToColumnMajorArray()));
        string[] inputs = [input, $"{prefix}.weight"];
        if (conv.Biases is { } biases)
        {
            graph.Initializer.Add(OnnxWriter.Tensor($"{prefix}.bias", elementType, [conv.Filters], biases.Value.ToColumnMajorArray()));
            inputs = [.. inputs, $"{prefix}.bias"];
        }

        NodeProto node = OnnxWriter.Node("Conv", $"{prefix}/Conv", inputs, $"{prefix}.z");
        node.Attribute.Add(Ints("kernel_shape", k, k));
        node.Attribute.Add(Ints("strides", conv.Stride, conv.Stride));
        node.Attribute.Add(Ints("pads", top, left, bottom, right));
        node.Attribute.Add(Ints("dilations", 1, 1));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(node);
        _image = outShape;
        return conv.Activation.IsIdentity
            ? node.Output[0]
            : OnnxWriter.WriteActivation(graph, conv.Activation, prefix, node.Output[0], elementType, opset);
    }

    private string Pool(string opType, int size, int stride, ImageShape output, string prefix, string input)
    {
        NodeProto node = OnnxWriter.Node(opType, $"{prefix}/{opType}", [input], $"{prefix}.a");
        node.Attribute.Add(Ints("kernel_shape", size, size));
        node.Attribute.Add(Ints("strides", stride, stride));
        graph.Node.Add(node);
        _image = output;
        return node.Output[0];
    }

    /// <summary>The end of the graph as N × C × H × W: a Reshape when it is batch × features.</summary>
    private string ToImages(ImageShape shape, string prefix, string input)
    {
        if (_image is not null)
        {
            return input;
        }

        // raw_data is little-endian whatever the machine, as the specification requires.
        long[] dims = [-1, shape.Channels, shape.Height, shape.Width];
        byte[] raw = new byte[dims.Length * sizeof(long)];
        for (int d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(d * sizeof(long)), dims[d]);
        }

        var tensor = new TensorProto { Name = $"{prefix}.shape", DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims.Length);
        graph.Initializer.Add(tensor);
        NodeProto reshape = OnnxWriter.Node("Reshape", $"{prefix}/Reshape", [input, tensor.Name], $"{prefix}.image");
        graph.Node.Add(reshape);
        _image = shape;
        return reshape.Output[0];
    }

    private string Flatten(string prefix, string input, string output)
    {
        NodeProto node = OnnxWriter.Node("Flatten", $"{prefix}/Flatten", [input], output);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(node);
        _image = null;
        return output;
    }

    /// <summary>The least after-padding that gives <paramref name="output"/> positions along an axis of <paramref name="size"/>.</summary>
    private static int After(int size, int output, int kernel, int stride, int before) =>
        Math.Max(((output - 1) * stride) + kernel - size - before, 0);

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    [GeneratedRegex(@"^(conv2d[0-9]+\.(weight|bias|slope|z|scaled|a|c_[a-z0-9]+|t[0-9]+)|(conv2d|max_pool2d|average_pool2d|global_average_pool|flatten|dense|batch_normalization|layer_normalization|dropout)[0-9]+\.(shape|image|flat|pooled)|(max_pool2d|average_pool2d|global_average_pool|flatten)[0-9]+\.a)$", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedTensorName();
}
