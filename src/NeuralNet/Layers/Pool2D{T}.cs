using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Pooling over square windows, channel by channel: the shapes, configuration and buffers that
/// <see cref="MaxPool2D{T}"/> and <see cref="AveragePool2D{T}"/> share; they differ only in what a window gives.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Input and output rows are samples holding an image in channel-major order (see <see cref="ImageShape"/>); the
/// output has the input's channels and <c>(H − size)/stride + 1</c> rows and as many columns by the same rule. A
/// window and stride that would leave the last input rows or columns out are refused unless <c>dropEdges</c> is true
/// (PyTorch leaves them out silently). No parameters. The configuration is <c>channels</c>, <c>height</c>,
/// <c>width</c>, <c>size</c>, <c>stride</c> and <c>drop_edges</c>.
/// </remarks>
public abstract class Pool2D<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WindowGeometry _g;
    private readonly BufferCache<Buffers> _buffers;
    private readonly Pooling<T> _pooling;
    private readonly bool _max;
    private readonly string _typeName;
    private Buffers? _last;

    /// <summary>Creates the pooling layer; <paramref name="max"/> chooses the window's largest value over its mean.</summary>
    private protected Pool2D(ImageShape input, int size, int? stride, bool dropEdges, bool max, string typeName)
    {
        Guard.Precision<T>();
        Guard.Positive(size, nameof(size));
        int step = stride ?? size;
        Guard.Positive(step, nameof(stride));
        if (input.Size == 0)
        {
            throw new ArgumentException($"{typeName} needs an input shape of positive channels, height and width, but got the empty default ImageShape.", nameof(input));
        }

        string owner = $"{typeName}({size}×{size}, stride {step})";
        _g = new WindowGeometry(input, input.Channels, size, step, 0, 0, 0, 0, owner, nameof(size));
        _g.CheckNothingDropped(dropEdges, owner, nameof(size));
        DropEdges = dropEdges;
        _max = max;
        _typeName = typeName;
        _pooling = new Pooling<T>(_g, max);
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, _g, max));
    }

    /// <summary>The shape of each input image.</summary>
    public ImageShape InputShape => _g.Input;

    /// <summary>The shape of each output image.</summary>
    public ImageShape OutputShape => _g.Output;

    /// <summary>The window's height and width.</summary>
    public int Size => _g.Kernel;

    /// <summary>The step between windows.</summary>
    public int Stride => _g.Stride;

    /// <summary>Whether input rows and columns that no window reaches are allowed (and left out).</summary>
    public bool DropEdges { get; }

    /// <inheritdoc/>
    public override int InputSize => _g.Input.Size;

    /// <inheritdoc/>
    public override int OutputSize => _g.Output.Size;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("channels", _g.Input.Channels)
        .Set("height", _g.Input.Height)
        .Set("width", _g.Input.Width)
        .Set("size", Size)
        .Set("stride", Stride)
        .Set("drop_edges", DropEdges);

    /// <inheritdoc/>
    public override string ToString() => $"{_typeName}({_g.Input}→{_g.Output}, {Size}×{Size}/{Stride})";

    /// <summary>The constructor's arguments from <see cref="GetConfig"/>'s configuration, for the registered factories.</summary>
    private protected static (ImageShape Input, int Size, int Stride, bool DropEdges) ReadConfig(ComponentConfig config) => (
        new ImageShape(config.GetInt32("channels"), config.GetInt32("height"), config.GetInt32("width")),
        config.GetInt32("size"),
        config.GetInt32("stride"),
        config.GetBoolean("drop_edges", false));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
        => new Pooling<T>(_g, _max).Forward(Storage.Of(input), Storage.Of(output), null, input.RowCount);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers b = _buffers.Get(input.RowCount);
        _pooling.Forward(Storage.Of(input), Storage.Of(b.Output), b.Winners, input.RowCount);
        _last = b;
        return b.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        Buffers b = _last!;
        _pooling.Backward(Storage.Of(outputGradient), Storage.Of(b.InputGradient), b.Winners, b.Rows);
        return b.InputGradient;
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, WindowGeometry g, bool max)
    {
        /// <summary>For max pooling, which input value won each output value: the backward pass adds its gradient there.</summary>
        public int[]? Winners { get; } = max ? new int[rows * g.Output.Size] : null;

        public int Rows { get; } = rows;

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, g.Output.Size);

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, g.Input.Size);
    }
}
