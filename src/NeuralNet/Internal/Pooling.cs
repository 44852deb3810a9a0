using System.Numerics;
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
        for (int c = 0; c < g.Output.Channels; c++)
        {
            int channel = c * g.Pixels;
            for (int p = 0; p < g.Positions; p++)
            {
                int output = ((c * g.Positions) + p) * n;
                for (int i = start; i < end; i++)
                {
                    T best = T.Zero;
                    int winner = -1;
                    T sum = T.Zero;
                    for (int kh = 0; kh < k; kh++)
                    {
                        for (int kw = 0; kw < k; kw++)
                        {
                            int pixel = channel + g.Pixel(p / ow, p % ow, kh, kw);
                            T value = x[(pixel * n) + i];
                            if (!_max)
                            {
                                sum += value;
                            }
                            else if (winner < 0 || value > best || T.IsNaN(value))
                            {
                                best = value;
                                winner = pixel;
                            }
                        }
                    }

                    if (_max)
                    {
                        y[output + i] = best;
                        if (_winners is not null)
                        {
                            _winners[output + i] = winner;
                        }
                    }
                    else
                    {
                        y[output + i] = sum / _window;
                    }
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
                for (int i = start; i < end; i++)
                {
                    if (_max)
                    {
                        dx[(_winners![output + i] * n) + i] += dy[output + i];
                        continue;
                    }

                    T share = dy[output + i] / _window;
                    for (int kh = 0; kh < k; kh++)
                    {
                        for (int kw = 0; kw < k; kw++)
                        {
                            dx[((channel + g.Pixel(p / ow, p % ow, kh, kw)) * n) + i] += share;
                        }
                    }
                }
            }
        }
    }
}
