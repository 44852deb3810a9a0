namespace NeuralNet.Backends;

/// <summary>
/// Splits a product's output columns into chunks run in parallel. The partition depends only on the shapes and the
/// thread count, and each element of C is computed whole within one chunk, so results never depend on scheduling.
/// </summary>
internal static class ColumnSplit
{
    /// <summary>Below this many multiply-adds a product runs on one thread: handing work to threads would cost more.</summary>
    private const long Threshold = 1 << 21;

    /// <summary>How many chunks to use: 1 for small products, otherwise up to one per thread, each at least 4 columns wide.</summary>
    public static int Chunks(int threads, int m, int n, int k)
        => threads > 1 && (long)m * n * k >= Threshold && n >= 8 ? Math.Min(threads, n / 4) : 1;

    /// <summary>Runs <paramref name="body"/>(first column, column count) for each chunk of the <paramref name="n"/> columns.</summary>
    public static void Run(int chunks, int n, Action<int, int> body)
    {
        // Chunk widths are multiples of 4 so every chunk but the last starts on a kernel block boundary.
        int width = (((n + chunks - 1) / chunks) + 3) / 4 * 4;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            int first = chunk * width;
            int count = Math.Min(n, first + width) - first;
            if (count > 0)
            {
                body(first, count);
            }
        });
    }
}
