using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Average pooling over square windows, as PyTorch's <c>nn.AvgPool2d</c>: each output value is the mean of its window,
/// channel by channel.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// <c>Y[c, oh, ow] = Σ_{kh,kw} X[c, oh·s + kh, ow·s + kw] / size²</c>; backward adds <c>dY / size²</c> to every input
/// value of the window. Input and output rows are samples holding an image in channel-major order (see
/// <see cref="ImageShape"/>); the output has the input's channels and <c>(H − size)/stride + 1</c> rows and as many
/// columns by the same rule. A window and stride that would leave the last input rows or columns out are refused
/// unless <c>dropEdges</c> is true (PyTorch leaves them out silently). No parameters.
/// </para>
/// <para>
/// Registered as <c>average_pool2d</c>, with the configuration <c>channels</c>, <c>height</c>, <c>width</c>, <c>size</c>,
/// <c>stride</c> and <c>drop_edges</c>.
/// </para>
/// </remarks>
public sealed class AveragePool2D<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WindowGeometry _g;
    private readonly BufferCache<Buffers> _buffers;
    private readonly Pooling<T> _pooling;
    private Buffers? _last;

    /// <summary>Creates the pooling layer.</summary>
    /// <param name="input">The shape of each input image.</param>
    /// <param name="size">The window's height and width, positive, at most the input's.</param>
    /// <param name="stride">The step between windows; <paramref name="size"/> when null (windows side by side).</param>
    /// <param name="dropEdges">Whether input rows and columns that no window reaches may be left out; when false, such a shape is refused.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input, or leaves input rows or columns out without <paramref name="dropEdges"/> (the message names the shapes).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public AveragePool2D(ImageShape input, int size, int? stride = null, bool dropEdges = false)
    {
        Guard.Precision<T>();
        Guard.Positive(size, nameof(size));
        int step = stride ?? size;
        Guard.Positive(step, nameof(stride));
        if (input.Size == 0)
        {
            throw new ArgumentException("AveragePool2D needs an input shape of positive channels, height and width, but got the empty default ImageShape.", nameof(input));
        }

        string owner = $"AveragePool2D({size}×{size}, stride {step})";
        _g = new WindowGeometry(input, input.Channels, size, step, 0, 0, 0, 0, owner, nameof(size));
        _g.CheckNothingDropped(dropEdges, owner, nameof(size));
        DropEdges = dropEdges;
        _pooling = new Pooling<T>(_g, max: false);
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, _g));
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
    public override string Name => "average_pool2d";

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
    public override string ToString() => $"AveragePool2D({_g.Input}→{_g.Output}, {Size}×{Size}/{Stride})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static AveragePool2D<T> FromConfig(ComponentConfig config) => new(
        new ImageShape(config.GetInt32("channels"), config.GetInt32("height"), config.GetInt32("width")),
        config.GetInt32("size"),
        config.GetInt32("stride"),
        config.GetBoolean("drop_edges", false));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
        => new Pooling<T>(_g, max: false).Forward(Storage.Of(input), Storage.Of(output), null, input.RowCount);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers b = _buffers.Get(input.RowCount);
        _pooling.Forward(Storage.Of(input), Storage.Of(b.Output), null, input.RowCount);
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
        _pooling.Backward(Storage.Of(outputGradient), Storage.Of(b.InputGradient), null, b.Rows);
        return b.InputGradient;
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, WindowGeometry g)
    {
        public int Rows { get; } = rows;

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, g.Output.Size);


        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, g.Input.Size);
    }
}
