using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Backends;

namespace NeuralNet.Internal;

/// <summary>
/// Max or average pooling over square windows, forward and backward, on batches whose rows are samples holding an
/// image in channel-major order: each pixel of each channel is a contiguous run over the samples, so the work goes
/// run by run. Split over ranges of samples (<see cref="SampleSplit"/>); each value is computed whole, in a fixed
/// order, within one range, so results are bit-identical at any thread count.
/// </summary>
/// <remarks>
/// Max pooling remembers, per output value, which input value won (the first of equal maxima, as PyTorch), and its
/// backward pass adds the output gradient there. Average pooling divides each window's sum by k·k, and its backward
/// pass adds <c>dY / (k·k)</c> to every value of the window. An instance holds one call's arguments: one per layer
/// for training, a new one for each inference.
/// </remarks>
internal sealed class Pooling<T> : ColumnSplit.IColumnJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WindowGeometry _g;
    private readonly bool _max;
    private readonly T _window;
    private T[]? _from;
    private T[]? _to;
    private int[]? _winners;
    private int _samples;
    private bool _backward;

    public Pooling(WindowGeometry geometry, bool max)
    {
        _g = geometry;
        _max = max;
        _window = T.CreateChecked(geometry.WindowSize);
    }

    /// <summary>Pools <paramref name="input"/> (samples × C·H·W) into <paramref name="output"/> (samples × C·OH·OW), recording the winners when given an array for them.</summary>
    public void Forward(T[] input, T[] output, int[]? winners, int samples)
    {
        (_from, _to, _winners, _samples, _backward) = (input, output, winners, samples, false);
        SampleSplit.Run(this, samples, (long)_g.Output.Size * _g.WindowSize);
        (_from, _to, _winners) = (null, null, null);
    }

    /// <summary>Sets <paramref name="inputGradient"/> from <paramref name="outputGradient"/>; max pooling needs the forward pass's winners.</summary>
    public void Backward(T[] outputGradient, T[] inputGradient, int[]? winners, int samples)
    {
        (_from, _to, _winners, _samples, _backward) = (outputGradient, inputGradient, winners, samples, true);
        SampleSplit.Run(this, samples, (long)_g.Output.Size * _g.WindowSize);
        (_from, _to, _winners) = (null, null, null);
    }

    /// <inheritdoc/>
    public void Run(int first, int count)
    {
        if (_backward)
        {
            BackwardRange(first, first + count);
        }
        else
        {
            ForwardRange(first, first + count);
        }
    }

    private void ForwardRange(int start, int end)
    {
        WindowGeometry g = _g;
        T[] x = _from!;
        T[] y = _to!;
        int n = _samples;
        int ow = g.Output.Width;
        int k = g.Kernel;
        int count = end - start;
        for (int c = 0; c < g.Output.Channels; c++)
        {
            int channel = c * g.Pixels;
            for (int p = 0; p < g.Positions; p++)
            {
                // The window's values are visited in the same (kh, kw) order for every sample: a run over the samples
                // per window position, starting from the first.
                int output = (((c * g.Positions) + p) * n) + start;
                Span<T> target = y.AsSpan(output, count);
                int first = channel + g.Pixel(p / ow, p % ow, 0, 0);
                x.AsSpan((first * n) + start, count).CopyTo(target);
                Span<int> winners = _winners is null ? default : _winners.AsSpan(output, count);
                winners.Fill(first);
                for (int offset = 1; offset < g.WindowSize; offset++)
                {
                    int pixel = channel + g.Pixel(p / ow, p % ow, offset / k, offset % k);
                    ReadOnlySpan<T> run = x.AsSpan((pixel * n) + start, count);
                    if (!_max)
                    {
                        TensorPrimitives.Add(target, run, target);
                        continue;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        T value = run[i];
                        if (value > target[i] || T.IsNaN(value))
                        {
                            target[i] = value;
                            if (!winners.IsEmpty)
                            {
                                winners[i] = pixel;
                            }
                        }
                    }
                }

                if (!_max)
                {
                    TensorPrimitives.Divide(target, _window, target);
                }
            }
        }
    }

    private void BackwardRange(int start, int end)
    {
        WindowGeometry g = _g;
        T[] dy = _from!;
        T[] dx = _to!;
        int n = _samples;
        int ow = g.Output.Width;
        int k = g.Kernel;
        for (int j = 0; j < g.Input.Size; j++)
        {
            dx.AsSpan((j * n) + start, end - start).Clear();
        }

        for (int c = 0; c < g.Output.Channels; c++)
        {
            int channel = c * g.Pixels;
            for (int p = 0; p < g.Positions; p++)
            {
                int output = ((c * g.Positions) + p) * n;
                if (_max)
                {
                    for (int i = start; i < end; i++)
                    {
                        dx[(_winners![output + i] * n) + i] += dy[output + i];
                    }

                    continue;
                }

                for (int offset = 0; offset < g.WindowSize; offset++)
                {
                    int pixel = (channel + g.Pixel(p / ow, p % ow, offset / k, offset % k)) * n;
                    for (int i = start; i < end; i++)
                    {
                        dx[pixel + i] += dy[output + i] / _window;
                    }
                }
            }
        }
    }
}
