using System.Globalization;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Reads the image nodes at the start of a chain as NeuralNet's image layers: <c>Conv</c> (and the activation after
/// it), <c>MaxPool</c>, <c>AveragePool</c> and <c>GlobalAveragePool</c>; <see cref="ImageShapeReader"/> reads the
/// nodes that start and end the images.
/// </summary>
/// <remarks>
/// <para>
/// The imported network takes rows of C·H·W values, one image per row in channel-major order, as NCHW flattens: a
/// graph whose input is [N, C, H, W] becomes a network of C·H·W inputs. Image layers are read only before the first
/// dense layer and before the images end; the graph must give the images' channels, height and width.
/// </para>
/// <para>
/// What NeuralNet's layers cannot compute is refused with <see cref="NotSupportedException"/> naming the node and the
/// attribute: dilations other than 1, groups, <c>auto_pad</c> SAME_UPPER or SAME_LOWER, <c>ceil_mode</c> 1, padded
/// pooling, non-square kernels or strides, and convolution pads that none of valid, same or explicit (as many rows
/// above as below and columns left as right) padding gives. Pads whose last rows or columns no window reads are read as
/// the padding that gives the same windows.
/// </para>
/// </remarks>
internal static class ImageLayerReader
{
    /// <summary>Whether the chain ends in images that image layers have worked on, so an activation belongs to a convolution.</summary>
    public static bool EndsInImages(ChainState chain) => chain.Images.Layers.Count > 0 && !chain.Images.Ended;

    /// <summary>A Conv node: a convolution at the end of the chain.</summary>
    public static void ReadConv(ChainState chain, NodeProto node)
    {
        string[] inputs = NodeChecks.Inputs(node, 2, 3);
        NodeChecks.Outputs(node, 1);
        ImageShape input = Start(chain, node, inputs[0]);
        CheckCommon(chain, node);
        if (NodeAttributes.Int(node, "group", 1) != 1)
        {
            throw NodeChecks.Unsupported(node, $"group is {NodeAttributes.Int(node, "group", 1)}; NeuralNet's convolution connects every input channel to every filter (group 1)");
        }

        TensorProto weights = chain.Constant(node, inputs[1]);
        if (weights.Dims.Count != 4 || weights.Dims[1] != input.Channels || weights.Dims[0] < 1 || weights.Dims[0] > int.MaxValue)
        {
            throw new OnnxFormatException($"The weights '{weights.Name}' of ONNX node '{node.Name}' (Conv) have shape [{string.Join(", ", weights.Dims)}]; for {input} images they must be [filters, {input.Channels}, kernel height, kernel width].");
        }

        int kernel = Square(node, "kernel_shape", ImageNodeValues.Ints(node, "kernel_shape", [weights.Dims[2], weights.Dims[3]]));
        if (weights.Dims[2] != kernel || weights.Dims[3] != kernel)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' (Conv) has kernel_shape [{kernel}, {kernel}] but its weights '{weights.Name}' are [{string.Join(", ", weights.Dims)}].");
        }

        if (!chain.Images.TakeWeights(weights))
        {
            throw NodeChecks.Unsupported(node, $"its weights '{weights.Name}' are another layer's too; tied weights are not imported");
        }

        int stride = Square(node, "strides", ImageNodeValues.Ints(node, "strides", [1, 1]));
        long[] pads = ImageNodeValues.Ints(node, "pads", [0, 0, 0, 0]);
        if (pads.Length != 4 || pads.Any(p => p is < 0 or > int.MaxValue))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' (Conv) has pads [{string.Join(", ", pads)}]; a 2-D convolution takes four (top, left, bottom, right), none negative.");
        }

        (Padding padding, ImageShape output) = ConvolutionPadding(node, input, kernel, stride, (int)weights.Dims[0], pads);
        TensorProto? bias = null;
        if (inputs.Length == 3 && inputs[2].Length > 0)
        {
            bias = chain.Constant(node, inputs[2]);
            if (bias.Dims.Count != 1 || bias.Dims[0] != output.Channels)
            {
                throw new OnnxFormatException($"The bias '{bias.Name}' of ONNX node '{node.Name}' (Conv) has shape [{string.Join(", ", bias.Dims)}]; for {output.Channels} filters it must be [{output.Channels}].");
            }
        }

        Add(chain, ImageLayerSpec.Convolution(node, input, output, kernel, stride, padding, weights, bias));
    }

    /// <summary>A MaxPool or AveragePool node: a pooling layer, without padding.</summary>
    public static void ReadPool(ChainState chain, NodeProto node)
    {
        string input = NodeChecks.Inputs(node, 1, 1)[0];
        if (node.Output.Count < 1 || node.Output[0].Length == 0 || node.Output.Skip(1).Any(o => o.Length > 0))
        {
            throw NodeChecks.Unsupported(node, "it gives the indices of its maxima as a second output; only the pooled values are read");
        }

        ImageShape shape = Start(chain, node, input);
        CheckCommon(chain, node);
        if (NodeAttributes.Int(node, "ceil_mode", 0) != 0)
        {
            throw NodeChecks.Unsupported(node, "ceil_mode is 1; NeuralNet's pooling rounds the output size down, as ceil_mode 0 does");
        }

        long[] pads = ImageNodeValues.Ints(node, "pads", [0, 0, 0, 0]);
        if (pads.Length != 4)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has pads [{string.Join(", ", pads)}]; a 2-D {node.OpType} takes four (top, left, bottom, right).");
        }

        if (pads.Any(p => p != 0))
        {
            throw NodeChecks.Unsupported(node, $"pads are [{string.Join(", ", pads)}]; NeuralNet's pooling layers do not pad");
        }

        int size = Square(node, "kernel_shape", ImageNodeValues.Ints(node, "kernel_shape", []));
        int stride = Square(node, "strides", ImageNodeValues.Ints(node, "strides", [1, 1]));
        if (size > shape.Height || size > shape.Width)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) pools {size}×{size} windows over {shape} images, which are smaller.");
        }

        // ONNX leaves out the rows and columns no window reaches, as NeuralNet's pooling does when asked to drop edges.
        var output = new ImageShape(shape.Channels, ((shape.Height - size) / stride) + 1, ((shape.Width - size) / stride) + 1);
        bool dropEdges = (shape.Height - size) % stride != 0 || (shape.Width - size) % stride != 0;
        Add(chain, ImageLayerSpec.Pooling(node, node.OpType == "MaxPool", shape, output, size, stride, dropEdges));
    }

    /// <summary>A GlobalAveragePool node: one mean per channel.</summary>
    public static void ReadGlobalAveragePool(ChainState chain, NodeProto node)
    {
        string input = NodeChecks.Inputs(node, 1, 1)[0];
        NodeChecks.Outputs(node, 1);
        Add(chain, ImageLayerSpec.GlobalAveragePool(node, Start(chain, node, input)));
    }

    /// <summary>An activation node after a convolution: the convolution's activation.</summary>
    public static void ReadActivation(ChainState chain, NodeProto node, string input)
    {
        chain.TakeCurrent(node, input);
        ImageLayerSpec last = chain.Images.Last!;
        if (!last.IsConvolution || last.Output != input || last.Activation is not null)
        {
            throw NodeChecks.Unsupported(node, "an activation on images is read only right after a Conv, one per convolution (NeuralNet's pooling layers have none; put the activation before the pooling)");
        }

        if (node.OpType == "Softmax")
        {
            throw NodeChecks.Unsupported(node, "a convolution's activation is element-wise, and Softmax is not; flatten the images and apply it after a dense layer");
        }

        last.Activation = ActivationReader.Create(chain, node);
        last.Output = node.Output[0];
        chain.Current = node.Output[0];
    }

    /// <summary>Checks <paramref name="node"/> may add an image layer reading <paramref name="input"/>; the images' shape.</summary>
    private static ImageShape Start(ChainState chain, NodeProto node, string input)
    {
        chain.TakeCurrent(node, input);
        if (chain.Layers.Count > 0 || chain.NormalizationLayers.Count > 0 || chain.Images.Ended)
        {
            throw NodeChecks.Unsupported(node, "image layers are read only at the start of the chain, before the images are flattened and before any dense or normalisation layer");
        }

        if (chain.Images.Last is { IsGlobalAveragePool: true })
        {
            throw NodeChecks.Unsupported(node, "it follows a GlobalAveragePool, which is read only when a Flatten follows it (NeuralNet's global average pooling gives flat features)");
        }

        long[] shape = chain.CurrentShape;
        if (shape.Length != 4 || shape.Skip(1).Any(d => d is <= 0 or > int.MaxValue) || (Int128)shape[1] * shape[2] * shape[3] > Array.MaxLength)
        {
            throw NodeChecks.Unsupported(node, $"its input '{chain.Current}' has shape [{string.Join(", ", shape)}] (−1 where unknown); image layers are read on N × C × H × W images whose channels, height and width the graph gives");
        }

        if (chain.Layers.Count + chain.NormalizationLayers.Count + chain.Images.Layers.Count >= OnnxModel.MaximumLayers)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The ONNX graph has more than {OnnxModel.MaximumLayers:N0} layers; NeuralNet imports at most {OnnxModel.MaximumLayers:N0}, the most its own model format holds."));
        }

        return new ImageShape((int)shape[1], (int)shape[2], (int)shape[3]);
    }

    internal static void Add(ChainState chain, ImageLayerSpec spec)
    {
        chain.Images.Layers.Add(spec);
        chain.CurrentShape = [chain.CurrentShape[0], spec.OutputShape.Channels, spec.OutputShape.Height, spec.OutputShape.Width];
        chain.Current = spec.Output;
    }

    /// <summary>Refuses what no image node read here may have: dilations other than 1 and padding chosen by auto_pad.</summary>
    private static void CheckCommon(ChainState chain, NodeProto node)
    {
        ImageNodeValues.CheckDefinedAt(node, chain.Opset);
        long[] dilations = ImageNodeValues.Ints(node, "dilations", [1, 1]);
        if (dilations.Length != 2)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has dilations [{string.Join(", ", dilations)}]; a 2-D {node.OpType} takes two.");
        }

        if (dilations.Any(d => d != 1))
        {
            throw NodeChecks.Unsupported(node, $"dilations are [{string.Join(", ", dilations)}]; NeuralNet's windows are contiguous (dilation 1)");
        }

        string autoPad = NodeAttributes.String(node, "auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID"))
        {
            throw NodeChecks.Unsupported(node, $"auto_pad is {autoPad}; NeuralNet reads explicit pads (auto_pad NOTSET) or none (VALID)");
        }

        if (autoPad == "VALID" && node.Attribute.Any(a => a.Name == "pads"))
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has both auto_pad VALID and pads; pads go with auto_pad NOTSET only.");
        }
    }

    /// <summary>The one value of a two-value attribute that must be square, such as kernel_shape [k, k].</summary>
    private static int Square(NodeProto node, string attribute, long[] values)
    {
        if (values.Length != 2 || values[0] is < 1 or > int.MaxValue)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' ({node.OpType}) has {attribute} [{string.Join(", ", values)}]; a 2-D {node.OpType} takes two positive values.");
        }

        if (values[0] != values[1])
        {
            throw NodeChecks.Unsupported(node, $"{attribute} is [{values[0]}, {values[1]}]; NeuralNet's image layers are square (the same along height and width)");
        }

        return (int)values[0];
    }

    /// <summary>
    /// The NeuralNet padding that gives a Conv's pads [top, left, bottom, right]: the same zeros before the image and the
    /// same output size (after-padding no window reads makes no difference); and that output's shape.
    /// </summary>
    private static (Padding Padding, ImageShape Output) ConvolutionPadding(NodeProto node, ImageShape input, int kernel, int stride, int filters, long[] pads)
    {
        long outHeight = OutputSize(input.Height, pads[0], pads[2]);
        long outWidth = OutputSize(input.Width, pads[1], pads[3]);
        if (outHeight < 1 || outWidth < 1)
        {
            throw new OnnxFormatException($"ONNX node '{node.Name}' (Conv) slides a {kernel}×{kernel} kernel over {input} images padded by [{string.Join(", ", pads)}], which are smaller.");
        }

        if ((Int128)outHeight * outWidth * filters > Array.MaxLength)
        {
            throw NodeChecks.Unsupported(node, $"its output of {filters}×{outHeight}×{outWidth} values per image is more than a row of a dense matrix holds");
        }

        // Same: total = max((⌈in/stride⌉ − 1)·stride + k − in, 0), half (rounded down) before.
        long SameTotal(int size) => Math.Max(((((size + stride - 1) / stride) - 1) * stride) + kernel - size, 0);
        (Padding Padding, long Top, long Left, long Bottom, long Right)[] candidates =
        [
            (Padding.Valid, 0, 0, 0, 0),
            (Padding.Explicit((int)pads[0], (int)pads[1]), pads[0], pads[1], pads[0], pads[1]),
            (Padding.Same, SameTotal(input.Height) / 2, SameTotal(input.Width) / 2, SameTotal(input.Height) - (SameTotal(input.Height) / 2), SameTotal(input.Width) - (SameTotal(input.Width) / 2)),
        ];
        foreach ((Padding padding, long top, long left, long bottom, long right) in candidates)
        {
            if (top == pads[0] && left == pads[1] && OutputSize(input.Height, top, bottom) == outHeight && OutputSize(input.Width, left, right) == outWidth)
            {
                return (top + left + bottom + right == 0 ? Padding.Valid : padding, new ImageShape(filters, (int)outHeight, (int)outWidth));
            }
        }

        throw NodeChecks.Unsupported(node, $"pads [{string.Join(", ", pads)}] are not what valid, same or explicit padding (as many rows above as below, columns left as right) gives a {kernel}×{kernel} kernel with stride {stride} on {input} images");

        long OutputSize(int size, long before, long after) => size + before + after < kernel ? 0 : ((size + before + after - kernel) / stride) + 1;
    }
}
