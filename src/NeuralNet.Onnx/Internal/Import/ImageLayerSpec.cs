using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// One image layer as read from the graph, before the network exists: a convolution (with its weight and bias tensors
/// and the activation read after it), a max or average pooling, a global average pooling, or the flatten that ends the
/// images.
/// </summary>
/// <remarks>The convolution's tensors are decoded only in <see cref="Create{T}"/>, once the network's element type is known.</remarks>
internal sealed class ImageLayerSpec
{
    private readonly NodeProto _node;
    private readonly string _kind;
    private readonly int _kernel;
    private readonly int _stride;
    private readonly Padding? _padding;
    private readonly bool _dropEdges;
    private readonly TensorProto? _weights;
    private readonly TensorProto? _bias;
    private Array? _weightValues;
    private Array? _biasValues;

    private ImageLayerSpec(NodeProto node, string kind, ImageShape input, ImageShape output, int kernel = 0, int stride = 0, Padding? padding = null, bool dropEdges = false, TensorProto? weights = null, TensorProto? bias = null)
    {
        _node = node;
        _kind = kind;
        Input = input;
        OutputShape = output;
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        _dropEdges = dropEdges;
        _weights = weights;
        _bias = bias;
        Output = node.Output[0];
    }

    /// <summary>The shape of each input image.</summary>
    public ImageShape Input { get; }

    /// <summary>The shape of the 4-D tensor the node gives: for a global average pooling, C × 1 × 1.</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Whether this is a convolution, the one image layer an activation follows.</summary>
    public bool IsConvolution => _kind == "Conv";

    /// <summary>Whether this is a global average pooling, whose NeuralNet layer already gives flat features.</summary>
    public bool IsGlobalAveragePool => _kind == "GlobalAveragePool";

    /// <summary>The name of the tensor this layer's last node produces.</summary>
    public string Output { get; set; }

    /// <summary>The convolution's activation; null while none has been read.</summary>
    public Activation? Activation { get; set; }

    /// <summary>A convolution whose weights [F, C, k, k] are in <paramref name="weights"/> and biases [F], if any, in <paramref name="bias"/>.</summary>
    public static ImageLayerSpec Convolution(NodeProto node, ImageShape input, ImageShape output, int kernel, int stride, Padding padding, TensorProto weights, TensorProto? bias) =>
        new(node, "Conv", input, output, kernel, stride, padding, weights: weights, bias: bias);

    /// <summary>A max (<paramref name="max"/>) or average pooling.</summary>
    public static ImageLayerSpec Pooling(NodeProto node, bool max, ImageShape input, ImageShape output, int size, int stride, bool dropEdges) =>
        new(node, max ? "MaxPool" : "AveragePool", input, output, size, stride, dropEdges: dropEdges);

    /// <summary>A global average pooling; its NeuralNet layer gives C flat features.</summary>
    public static ImageLayerSpec GlobalAveragePool(NodeProto node, ImageShape input) =>
        new(node, "GlobalAveragePool", input, new ImageShape(input.Channels, 1, 1));

    /// <summary>The flatten that makes the images rows of features.</summary>
    public static ImageLayerSpec Flatten(NodeProto node, ImageShape input) => new(node, "Flatten", input, input);

    /// <summary>The layer, with a convolution's weights decoded now (and checked to fill its shape), to be copied in by <see cref="CopyTo{T}"/>.</summary>
    public Layer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (_kind)
        {
            case "Conv":
                int filters = OutputShape.Channels;
                _weightValues = TensorDecoder.Values<T>(_weights!, _node, (long)Input.Channels * _kernel * _kernel * filters);
                _biasValues = _bias is null ? null : TensorDecoder.Values<T>(_bias, _node, filters);
                return new Conv2D<T>(Input, filters, _kernel, _stride, _padding, Activation, useBias: _bias is not null);
            case "MaxPool":
                return new MaxPool2D<T>(Input, _kernel, _stride, _dropEdges);
            case "AveragePool":
                return new AveragePool2D<T>(Input, _kernel, _stride, _dropEdges);
            case "GlobalAveragePool":
                return new GlobalAveragePool<T>(Input);
            default:
                return new Flatten<T>(Input);
        }
    }

    /// <summary>Copies the decoded weights into <paramref name="layer"/>, the layer <see cref="Create{T}"/> made.</summary>
    public void CopyTo<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer is not Conv2D<T> conv)
        {
            return;
        }

        // Column-major (C·k·k) × F weights are PyTorch's [F, C, k, k] tensor read in order: they copy straight in.
        ((T[])_weightValues!).CopyTo(conv.Weights.Value.AsColumnMajorArray(), 0);
        if (conv.Biases is { } biases)
        {
            ((T[])_biasValues!).CopyTo(biases.Value.AsColumnMajorArray(), 0);
        }
    }
}
