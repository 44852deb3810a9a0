using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Global average pooling, as PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>Flatten</c>: each channel of a
/// C × H × W image becomes its mean, so a sample's C·H·W values become C.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <c>Y[c] = Σ_{y,x} X[c, y, x] / (H·W)</c>; backward gives every pixel of channel c <c>dY[c] / (H·W)</c>. The output is
/// flat (C features), ready for a dense layer. No parameters. Registered as <c>global_average_pool</c>, with the
/// configuration <c>channels</c>, <c>height</c> and <c>width</c>.
/// </remarks>
public sealed class GlobalAveragePool<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<Buffers> _buffers;
    private readonly T _pixels;
    private Buffers? _last;

    /// <summary>Creates the layer.</summary>
    /// <param name="input">The shape of each input image.</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> is the empty default shape.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public GlobalAveragePool(ImageShape input)
    {
        Guard.Precision<T>();
        if (input.Size == 0)
        {
            throw new ArgumentException("GlobalAveragePool needs an input shape of positive channels, height and width, but got the empty default ImageShape.", nameof(input));
        }

        InputShape = input;
        _pixels = T.CreateChecked(input.Height * input.Width);
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, input));
    }

    /// <summary>The shape of each input image.</summary>
    public ImageShape InputShape { get; }

    /// <inheritdoc/>
    public override string Name => "global_average_pool";

    /// <inheritdoc/>
    public override int InputSize => InputShape.Size;

    /// <inheritdoc/>
    public override int OutputSize => InputShape.Channels;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("channels", InputShape.Channels)
        .Set("height", InputShape.Height)
        .Set("width", InputShape.Width);

    /// <inheritdoc/>
    public override string ToString() => $"GlobalAveragePool({InputShape}→{OutputSize})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static GlobalAveragePool<T> FromConfig(ComponentConfig config)
        => new(new ImageShape(config.GetInt32("channels"), config.GetInt32("height"), config.GetInt32("width")));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output) => Average(Storage.Of(input), Storage.Of(output), input.RowCount);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers b = _buffers.Get(input.RowCount);
        Average(Storage.Of(input), Storage.Of(b.Output), input.RowCount);
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
        int rows = b.Rows;
        int pixels = InputShape.Height * InputShape.Width;
        T[] dy = Storage.Of(outputGradient);
        T[] dx = Storage.Of(b.InputGradient);
        for (int c = 0; c < OutputSize; c++)
        {
            for (int i = 0; i < rows; i++)
            {
                T share = dy[(c * rows) + i] / _pixels;
                for (int p = 0; p < pixels; p++)
                {
                    dx[(((c * pixels) + p) * rows) + i] = share;
                }
            }
        }

        return b.InputGradient;
    }

    /// <summary>Each channel's mean, summed pixel by pixel for every sample (runs over samples are contiguous).</summary>
    private void Average(T[] x, T[] y, int rows)
    {
        int pixels = InputShape.Height * InputShape.Width;
        for (int c = 0; c < OutputSize; c++)
        {
            Span<T> mean = y.AsSpan(c * rows, rows);
            mean.Clear();
            for (int p = 0; p < pixels; p++)
            {
                ReadOnlySpan<T> run = x.AsSpan(((c * pixels) + p) * rows, rows);
                for (int i = 0; i < rows; i++)
                {
                    mean[i] += run[i];
                }
            }

            for (int i = 0; i < rows; i++)
            {
                mean[i] /= _pixels;
            }
        }
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, ImageShape input)
    {
        public int Rows { get; } = rows;

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, input.Channels);

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, input.Size);
    }
}
