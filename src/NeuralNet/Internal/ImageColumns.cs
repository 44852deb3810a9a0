using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Backends;

namespace NeuralNet.Internal;

/// <summary>
/// im2col and col2im for a convolution over a batch whose rows are samples and whose columns are an image's values in
/// channel-major order (column-major storage, so one pixel of one channel is a contiguous run over the samples).
/// </summary>
/// <remarks>
/// <para>
/// The column matrix of a block of <c>nb</c> samples is <c>(P·nb) × (C·k·k)</c>, column-major, with rows ordered by
/// output position p (<c>P = OH·OW</c> of them) and then sample: element (p, n; c, kh, kw) is the input pixel the
/// window at p reads at offset (kh, kw) of channel c, or 0 in the padding. The convolution is then one product,
/// <c>Z = Cols·W</c>, of <c>(P·nb) × F</c>, which is exactly the storage of the samples × (F·OH·OW) output when the
/// block is the whole batch. Every copy moves a run of samples, so the layout costs no transposition.
/// </para>
/// <para>
/// im2col is split over columns, each a plain copy; col2im over ranges of samples (<see cref="SampleSplit"/>), adding
/// each column-matrix value into its pixel in a fixed order of (c, kh, kw, oh, ow) for every sample, whichever thread
/// runs it. Both are bit-identical at any thread count. An instance holds one call's arguments: one per layer for training, a new one for each inference.
/// </para>
/// </remarks>
internal sealed class ImageColumns<T> : ColumnSplit.IColumnJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WindowGeometry _g;
    private T[]? _images;
    private T[]? _columns;
    private int _samples;
    private int _first;
    private int _count;
    private bool _gather;

    public ImageColumns(WindowGeometry geometry) => _g = geometry;

    /// <summary>Fills <paramref name="columns"/> with the column matrix of samples [first, first + count) of <paramref name="images"/>.</summary>
    /// <param name="images">The samples × (C·H·W) input, column-major, of <paramref name="samples"/> rows.</param>
    /// <param name="samples">The input's rows.</param>
    /// <param name="first">The block's first sample.</param>
    /// <param name="count">The block's samples.</param>
    /// <param name="columns">At least P·count·C·k·k values.</param>
    public void Gather(T[] images, int samples, int first, int count, T[] columns)
    {
        Set(images, samples, first, count, columns, gather: true);

        // Split by column: each column is a plain copy, and whole columns keep the runs long (see GatherColumns).
        int window = _g.Input.Channels * _g.WindowSize;
        long values = (long)_g.Positions * window * count;
        int chunks = MatrixBackend.ThreadCount > 1 && values >= 1 << 15 ? Math.Min(MatrixBackend.ThreadCount, window) : 1;
        if (chunks == 1)
        {
            Run(0, window);
        }
        else
        {
            ColumnSplit.Run(this, chunks, window, 1, MatrixBackend.ThreadCount);
        }

        Clear();
    }

    /// <summary>Sets <paramref name="images"/> (samples × C·H·W) to the sum of the column matrix's values into their pixels (col2im), for the whole batch.</summary>
    public void Scatter(T[] columns, T[] images, int samples)
    {
        Set(images, samples, 0, samples, columns, gather: false);
        SampleSplit.Run(this, samples, (long)_g.Positions * _g.WindowSize * _g.Input.Channels);
        Clear();
    }

    /// <inheritdoc/>
    public void Run(int first, int count)
    {
        if (_gather)
        {
            GatherColumns(first, count);
        }
        else
        {
            ScatterRange(first, count);
        }
    }

    /// <summary>
    /// Fills columns [<paramref name="firstColumn"/>, + <paramref name="columnCount"/>) of the column matrix. With stride
    /// 1 and the whole batch, one output row's windows read one contiguous stretch of the input (the next position's
    /// pixel is the next pixel, whose samples follow), so a row is one copy; otherwise a copy per position.
    /// </summary>
    private void GatherColumns(int firstColumn, int columnCount)
    {
        WindowGeometry g = _g;
        T[] images = _images!;
        T[] columns = _columns!;
        int k = g.Kernel;
        int nb = _count;
        int outputWidth = g.Output.Width;
        int width = g.Input.Width;
        bool wholeRows = g.Stride == 1 && nb == _samples;
        for (int column = firstColumn; column < firstColumn + columnCount; column++)
        {
            int c = column / g.WindowSize;
            int kh = column / k % k;
            int kw = column % k;
            int channel = c * g.Pixels;
            for (int oh = 0; oh < g.Output.Height; oh++)
            {
                Span<T> row = columns.AsSpan(((column * g.Positions) + (oh * outputWidth)) * nb, outputWidth * nb);
                int ih = (oh * g.Stride) + kh - g.Top;
                if (ih < 0 || ih >= g.Input.Height)
                {
                    row.Clear();
                }
                else if (wholeRows)
                {
                    // Positions ow in [low, high) read pixels ow + kw − left, inside the image; the rest read padding.
                    int low = Math.Clamp(g.Left - kw, 0, outputWidth);
                    int high = Math.Clamp(width + g.Left - kw, low, outputWidth);
                    row[..(low * nb)].Clear();
                    images.AsSpan((channel + (ih * width) + low + kw - g.Left) * nb, (high - low) * nb).CopyTo(row[(low * nb)..]);
                    row[(high * nb)..].Clear();
                }
                else
                {
                    for (int ow = 0; ow < outputWidth; ow++)
                    {
                        Span<T> target = row.Slice(ow * nb, nb);
                        int iw = (ow * g.Stride) + kw - g.Left;
                        if (iw < 0 || iw >= width)
                        {
                            target.Clear();
                        }
                        else
                        {
                            images.AsSpan(((channel + (ih * width) + iw) * _samples) + _first, nb).CopyTo(target);
                        }
                    }
                }
            }
        }
    }

    private void ScatterRange(int a, int cnt)
    {
        WindowGeometry g = _g;
        T[] images = _images!;
        T[] columns = _columns!;
        int k = g.Kernel;
        int positions = g.Positions;
        int ow = g.Output.Width;
        int n = _samples;
        for (int j = 0; j < g.Input.Size; j++)
        {
            images.AsSpan((j * n) + a, cnt).Clear();
        }

        for (int c = 0; c < g.Input.Channels; c++)
        {
            int channel = c * g.Pixels;
            for (int kh = 0; kh < k; kh++)
            {
                for (int kw = 0; kw < k; kw++)
                {
                    int block = ((((c * k) + kh) * k) + kw) * positions * n;
                    for (int p = 0; p < positions; p++)
                    {
                        int pixel = g.Pixel(p / ow, p % ow, kh, kw);
                        if (pixel >= 0)
                        {
                            Span<T> target = images.AsSpan(((channel + pixel) * n) + a, cnt);
                            TensorPrimitives.Add(target, columns.AsSpan(block + (p * n) + a, cnt), target);
                        }
                    }
                }
            }
        }
    }

    private void Set(T[] images, int samples, int first, int count, T[] columns, bool gather)
        => (_images, _samples, _first, _count, _columns, _gather) = (images, samples, first, count, columns, gather);

    private void Clear() => (_images, _columns) = (null, null);
}
