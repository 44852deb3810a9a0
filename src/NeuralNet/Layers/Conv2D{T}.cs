using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// A 2-D convolution (cross-correlation, as PyTorch's <c>nn.Conv2d</c>): F filters of C × k × k weights slide over a
/// C × H × W image with a stride and zero padding, then a bias per filter and an activation g are applied.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// <c>Z[f, oh, ow] = b_f + Σ_{c,kh,kw} W[(c,kh,kw), f] · X[c, oh·s + kh − top, ow·s + kw − left]</c> (zero outside the
/// image), <c>A = g(Z)</c>. Input and output rows are samples holding an image in channel-major order (see
/// <see cref="ImageShape"/>). The weights are (C·k·k) × F, inputs × outputs as a dense layer's, so that their
/// column-major storage is PyTorch's [F, C, k, k] weight tensor flattened.
/// </para>
/// <para>
/// It runs as im2col and one matrix product on the current backend: <c>Z = Cols·W</c>; backward
/// <c>dW += Colsᵀ·dZ</c>, <c>db += Σ dZ</c> over positions and samples, <c>dCols = dZ·Wᵀ</c> then col2im into dX.
/// The default initialisers draw from the true fan-in C·k·k and fan-out F·k·k. Registered as <c>conv2d</c>, with the
/// configuration <c>channels</c>, <c>height</c>, <c>width</c>, <c>filters</c>, <c>kernel</c>, <c>stride</c>,
/// <c>padding</c>, <c>padding_rows</c>, <c>padding_columns</c>, <c>use_bias</c>, <c>activation</c>,
/// <c>weight_initializer</c> and <c>bias_initializer</c>; parameters <c>weights</c> and (with a bias) <c>biases</c>.
/// </para>
/// <para>
/// A training step keeps the batch's column matrix, P·samples × C·k·k values (P output positions), for the backward pass.
/// Inference works through blocks of samples whose column matrix holds at most about four million values.
/// </para>
/// </remarks>
public sealed partial class Conv2D<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The most values an inference block's column matrix holds.</summary>
    private const long InferenceBlockValues = 1 << 22;

    private readonly Parameter<T>[] _parameters;
    private readonly WindowGeometry _g;
    private readonly BufferCache<Buffers> _buffers;
    private readonly ImageColumns<T> _columns;
    private readonly Activation _activation;
    private Buffers? _last;

    /// <summary>Creates a convolution. Its parameters are drawn when a <see cref="Network{T}"/> is built around it.</summary>
    /// <param name="input">The shape of each input image.</param>
    /// <param name="filters">The number of filters (output channels), positive.</param>
    /// <param name="kernel">The kernel's height and width, positive, at most the padded input's.</param>
    /// <param name="stride">The step between windows along both axes, positive.</param>
    /// <param name="padding">The zero padding; <see cref="Padding.Valid"/> when null.</param>
    /// <param name="activation">The activation, applied element by element; <see cref="Activation.Identity"/> when null.</param>
    /// <param name="useBias">Whether to add a learnt bias per filter.</param>
    /// <param name="weightInitializer">How to draw the weights; the activation's <see cref="Activation.DefaultWeightInitializer"/> when null (fan-in C·k·k, fan-out F·k·k).</param>
    /// <param name="biasInitializer">How to draw the biases; <see cref="Initializer.Zeros"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="filters"/>, <paramref name="kernel"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The kernel is larger than the padded input (the message names both shapes), or the activation is softmax, which is not element-wise.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Conv2D(ImageShape input, int filters, int kernel, int stride = 1, Padding? padding = null, Activation? activation = null, bool useBias = true, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        Guard.Precision<T>();
        Guard.Positive(filters, nameof(filters));
        Guard.Positive(kernel, nameof(kernel));
        Guard.Positive(stride, nameof(stride));
        if (input.Size == 0)
        {
            throw new ArgumentException("Conv2D needs an input shape of positive channels, height and width, but got the empty default ImageShape.", nameof(input));
        }

        if (activation is Softmax)
        {
            throw new ArgumentException("Conv2D applies its activation element by element, but softmax normalises across a row; flatten and add a dense layer with softmax instead.", nameof(activation));
        }

        Padding = padding ?? Padding.Valid;
        (int top, int bottom) = Padding.Along(input.Height, kernel, stride, rows: true);
        (int left, int right) = Padding.Along(input.Width, kernel, stride, rows: false);
        string owner = $"Conv2D({filters} filters {kernel}×{kernel}, stride {stride}, padding {Padding})";
        _g = new WindowGeometry(input, filters, kernel, stride, top, bottom, left, right, owner, nameof(kernel));
        Guard.MatrixSize((long)input.Channels * kernel * kernel, filters, $"{owner}'s weights", nameof(filters));
        UseBias = useBias;
        _activation = activation ?? Activation.Identity;
        WeightInitializer = weightInitializer ?? _activation.DefaultWeightInitializer;
        BiasInitializer = biasInitializer ?? Initializer.Zeros;
        Weights = new Parameter<T>("weights", input.Channels * kernel * kernel, filters, decays: true);
        Biases = useBias ? new Parameter<T>("biases", 1, filters, decays: false) : null;
        _parameters = Biases is null ? [Weights] : [Weights, Biases];
        _columns = new ImageColumns<T>(_g);
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, _g, _activation.IsIdentity));
    }

    /// <summary>The weights, (C·k·k) × filters, and their gradient; row <c>(c·k + kh)·k + kw</c> is the kernel offset.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>The biases, 1 × filters, and their gradient; null without a bias.</summary>
    public Parameter<T>? Biases { get; }

    /// <summary>Whether a bias per filter is added.</summary>
    public bool UseBias { get; }

    /// <summary>The shape of each input image.</summary>
    public ImageShape InputShape => _g.Input;

    /// <summary>The shape of each output image: filters × output height × output width.</summary>
    public ImageShape OutputShape => _g.Output;

    /// <summary>The number of filters (output channels).</summary>
    public int Filters => _g.Output.Channels;

    /// <summary>The kernel's height and width.</summary>
    public int Kernel => _g.Kernel;

    /// <summary>The step between windows along both axes.</summary>
    public int Stride => _g.Stride;

    /// <summary>The zero padding.</summary>
    public Padding Padding { get; }

    /// <summary>The zero rows above and columns left of the image that <see cref="Padding"/> resolves to (the rest goes below and right).</summary>
    public (int Top, int Left) PaddingBefore => (_g.Top, _g.Left);

    /// <summary>How the weights are drawn when the network is initialised.</summary>
    public Initializer WeightInitializer { get; }

    /// <summary>How the biases are drawn when the network is initialised.</summary>
    public Initializer BiasInitializer { get; }

    /// <inheritdoc/>
    public override Activation Activation => _activation;

    /// <inheritdoc/>
    public override string Name => "conv2d";

    /// <inheritdoc/>
    public override int InputSize => _g.Input.Size;

    /// <inheritdoc/>
    public override int OutputSize => _g.Output.Size;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("channels", _g.Input.Channels)
        .Set("height", _g.Input.Height)
        .Set("width", _g.Input.Width)
        .Set("filters", Filters)
        .Set("kernel", Kernel)
        .Set("stride", Stride)
        .Set("padding", Padding.Name)
        .Set("padding_rows", Padding.Rows)
        .Set("padding_columns", Padding.Columns)
        .Set("use_bias", UseBias)
        .Set("activation", Activation)
        .Set("weight_initializer", WeightInitializer)
        .Set("bias_initializer", BiasInitializer);

    /// <inheritdoc/>
    public override string ToString() => $"Conv2D({_g.Input}→{_g.Output}, {Kernel}×{Kernel}/{Stride}, {Padding}, {Activation})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration, with zero parameters (the registered factory).</summary>
    internal static Conv2D<T> FromConfig(ComponentConfig config) => new(
        new ImageShape(config.GetInt32("channels"), config.GetInt32("height"), config.GetInt32("width")),
        config.GetInt32("filters"),
        config.GetInt32("kernel"),
        config.GetInt32("stride"),
        Padding.FromName(config.GetString("padding"), config.GetInt32("padding_rows", 0), config.GetInt32("padding_columns", 0)),
        config.GetActivation("activation"),
        config.GetBoolean("use_bias", true),
        config.GetInitializer("weight_initializer"),
        config.GetInitializer("bias_initializer"));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
    {
        // Inference may run on many threads at once: its buffers and im2col job are its own.
        int rows = input.RowCount;
        int positions = _g.Positions;
        int block = (int)Math.Clamp(InferenceBlockValues / ((long)positions * Weights.Value.RowCount), 1, rows);
        var columns = new ImageColumns<T>(_g);
        T[] x = Storage.Of(input);
        T[] y = Storage.Of(output);
        T[] cols = [];
        T[]? z = null;
        for (int first = 0; first < rows; first += block)
        {
            int count = Math.Min(block, rows - first);
            if (cols.Length != positions * count * Weights.Value.RowCount)
            {
                // A view binds its array whole, so the last, shorter block gets arrays of its own size.
                cols = new T[positions * count * Weights.Value.RowCount];
                z = count == rows ? null : new T[positions * count * Filters];
            }

            columns.Gather(x, rows, first, count, cols);
            Matrix<T> colsView = Matrix<T>.Build.Dense(positions * count, Weights.Value.RowCount, cols);
            Matrix<T> zView = Matrix<T>.Build.Dense(positions * count, Filters, z ?? y);
            MatrixProduct.Multiply(colsView, transposeA: false, Weights.Value, transposeB: false, zView, accumulate: false);
            if (z is not null)
            {
                // The block's (position, sample) rows go to their samples' rows of the whole output.
                for (int f = 0; f < Filters; f++)
                {
                    for (int p = 0; p < positions; p++)
                    {
                        z.AsSpan(((f * positions) + p) * count, count).CopyTo(y.AsSpan((((f * positions) + p) * rows) + first, count));
                    }
                }
            }
        }

        AddBias(y, rows);
        if (!_activation.IsIdentity)
        {
            _activation.Forward<T>(y, y, rows);
        }
    }

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        int rows = input.RowCount;
        Buffers b = _buffers.Get(rows);
        _columns.Gather(Storage.Of(input), rows, 0, rows, b.Columns);
        MatrixProduct.Multiply(b.ColumnsView, transposeA: false, Weights.Value, transposeB: false, b.ZView, accumulate: false);
        T[] z = Storage.Of(b.Z);
        AddBias(z, rows);
        if (!_activation.IsIdentity)
        {
            _activation.Forward<T>(z, Storage.Of(b.A), rows);
        }

        _last = b;
        return b.A;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        Buffers b = _last!;
        T[] dz = Storage.Of(b.DZ);
        if (_activation.IsIdentity)
        {
            Storage.Of(outputGradient).CopyTo(dz, 0);
        }
        else
        {
            _activation.Backward<T>(Storage.Of(b.Z), Storage.Of(b.A), Storage.Of(outputGradient), dz, b.Rows);
        }

        // dX reads W as the forward pass used it, so it comes before W's gradient, which a fused step adds into W.
        Matrix<T>? dx = null;
        if (computeInputGradient)
        {
            b.EnsureInputGradient(_g);
            MatrixProduct.Multiply(b.DZView, transposeA: false, Weights.Value, transposeB: true, b.ColumnGradientView!, accumulate: false);
            dx = b.InputGradient!;
            _columns.Scatter(b.ColumnGradient!, Storage.Of(dx), b.Rows);
        }

        Weights.AddGradientProduct(b.ColumnsView, transposeA: true, b.DZView, transposeB: false);
        Biases?.AddGradientColumnSums(b.DZView);
        return dx;
    }

    /// <inheritdoc/>
    protected internal override void Initialize(RandomSource random)
    {
        int fanIn = Weights.Value.RowCount;
        int fanOut = Filters * Kernel * Kernel;
        WeightInitializer.Fill<T>(Weights.Values, fanIn, fanOut, random);
        if (Biases is not null)
        {
            BiasInitializer.Fill<T>(Biases.Values, fanIn, fanOut, random);
        }
    }

    /// <summary>Adds each filter's bias to its block of the output: filter f's values are contiguous, P·rows of them.</summary>
    private void AddBias(T[] z, int rows)
    {
        if (Biases is null)
        {
            return;
        }

        ReadOnlySpan<T> biases = Biases.Values;
        int length = _g.Positions * rows;
        for (int f = 0; f < biases.Length; f++)
        {
            Span<T> block = z.AsSpan(f * length, length);
            TensorPrimitives.Add(block, biases[f], block);
        }
    }
}
