using NeuralNet.Backends;

namespace NeuralNet.Internal;

/// <summary>
/// Runs per-sample image work (im2col, col2im, pooling) over ranges of samples on the backend's threads. Each sample's
/// values are computed whole, in the same order, within one range, so the results are bit-identical at any thread
/// count; small batches run on the calling thread, where waking a thread would cost more than it saves.
/// </summary>
internal static class SampleSplit
{
    /// <summary>Below this many values moved, the work stays on one thread.</summary>
    private const long Threshold = 1 << 15;

    /// <summary>Ranges are multiples of this many samples (but the last), so that runs stay vector-aligned.</summary>
    private const int Granularity = 8;

    /// <summary>Runs <paramref name="job"/> over samples [0, <paramref name="samples"/>).</summary>
    /// <param name="job">The work, by range of samples.</param>
    /// <param name="samples">The number of samples.</param>
    /// <param name="valuesPerSample">About how many values the work touches per sample.</param>
    public static void Run(ColumnSplit.IColumnJob job, int samples, long valuesPerSample)
    {
        int threads = MatrixBackend.ThreadCount;
        int chunks = threads > 1 && samples >= 2 * Granularity && samples * valuesPerSample >= Threshold
            ? Math.Min(threads, samples / Granularity)
            : 1;
        if (chunks == 1)
        {
            job.Run(0, samples);
            return;
        }

        ColumnSplit.Run(job, chunks, samples, Granularity, threads);
    }
}
