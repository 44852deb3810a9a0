using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// Matrix products in managed code: op(A) is packed into panels and a register-blocked micro-kernel of 512-bit
/// vectors (or <see cref="Vector{T}"/> where those are not accelerated) computes C tile by tile
/// (<see cref="ManagedGemm"/>). Large products split C's rows or columns across threads (<see cref="ColumnSplit"/>);
/// each element is still summed in one fixed order, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// This file holds the dispatch: a single row (batch size 1) goes to <see cref="ManagedSingleRow"/>, everything else
/// to <see cref="ManagedGemm"/>, split between threads by <see cref="Partition"/> from the shapes and the thread
/// count alone; <see cref="ManagedJob{T}"/> carries a product to the threads.
/// </remarks>
internal sealed class ManagedBackend : MatrixBackend
{
    /// <summary>Below this many multiply-adds a product runs on one thread: waking a worker would cost more than it saves.</summary>
    private const long SplitThreshold = 1 << 20;

    /// <summary>The fewest rows of C worth a chunk of their own: two panels of the micro-kernel.</summary>
    private const int RowsPerChunk = 64;

    /// <summary>Chunks per thread in a split product.</summary>
    private const int ChunksPerThread = 4;

    private int _threads = Environment.ProcessorCount;

    private ManagedBackend()
    {
    }

    public static ManagedBackend Instance { get; } = new();

    public override string Name => "managed";

    public override string Description => $"managed ({(Vector512.IsHardwareAccelerated ? 512 : Vector<byte>.Count * 8)}-bit vectors)";

    internal override void ApplyThreadCount(int threads) => _threads = threads;

    /// <summary>
    /// How a product is split: into how many chunks, and whether by rows of C or by columns. Depends on the shapes and
    /// the thread count alone.
    /// </summary>
    /// <remarks>
    /// Columns when A is read in place (<see cref="ManagedGemm.ReadsAInPlace{T}"/>: nothing is packed twice) or when
    /// there are too few rows; rows otherwise, so each thread packs only its own rows of A. Up to
    /// <see cref="ChunksPerThread"/> chunks per thread, each at least two tiles of columns or <see cref="RowsPerChunk"/>
    /// rows, so that a thread held up by another process leaves its chunks to the others.
    /// </remarks>
    internal static (int Chunks, bool ByRows) Partition<T>(int threads, bool transposeA, int m, int n, int k)
        where T : unmanaged
    {
        if (threads <= 1 || (long)m * n * k < SplitThreshold)
        {
            return (1, false);
        }

        int most = threads * ChunksPerThread;
        int columnChunks = Math.Min(most, n / (2 * ManagedKernel512.Columns));
        int rowChunks = Math.Min(most, m / RowsPerChunk);
        bool byRows = rowChunks >= 2 && (columnChunks < 2 || !ManagedGemm.ReadsAInPlace<T>(transposeA, m, n, k));
        int chunks = byRows ? rowChunks : columnChunks;
        return chunks >= 2 ? (chunks, byRows) : (1, false);
    }

    internal override void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c)
    {
        if (m == 1)
        {
            SingleRow(transposeB, n, k, a, b, beta, c);
            return;
        }

        (int chunks, bool byRows) = Partition<T>(_threads, transposeA, m, n, k);
        if (chunks > 1)
        {
            ManagedJob<T> job = ManagedJob<T>.ForThisThread;
            job.Set(transposeA, transposeB, m, n, k, a, b, beta, c, byRows);

            // Row chunks start on a panel of rows (only the product's last panel is partial), column chunks on a tile
            // of the widest kernel.
            ColumnSplit.Run(job, chunks, byRows ? m : n, byRows ? ManagedGemm.PanelRows<T>() : ManagedKernel512.Columns, _threads);
            job.Clear();
        }
        else
        {
            ManagedGemm.Compute(transposeA, transposeB, m, n, k, a, b, beta, c, 0, m, 0, n);
        }
    }

    /// <summary>C(1×n) = a(1×k)·op(B) + beta·C: A's one row is contiguous whether or not it is transposed.</summary>
    private static void SingleRow<T>(bool transposeB, int n, int k, T[] a, T[] b, T beta, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> cs = c.AsSpan(0, n);
        if (beta == T.Zero)
        {
            cs.Clear();
        }
        else if (beta != T.One)
        {
            TensorPrimitives.Multiply(cs, beta, cs);
        }

        ReadOnlySpan<T> row = a.AsSpan(0, k);
        if (transposeB)
        {
            // Row p of op(B) is contiguous in B's storage: C's row grows by a[p] times that row, one vectorised
            // multiply-add per p (each entry still summed over p in order).
            ManagedSingleRow.RowTimesTransposed(k, row, b, n, c, 0, n);
            return;
        }

        // Contiguous columns of B: dot products, four columns per pass over A's row.
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ManagedSingleRow.Dot4(row, b, k, j * k, k, c, j);
        }

        for (; j < n; j++)
        {
            c[j] += Internal.Reduce.Dot(row, b.AsSpan(j * k, k));
        }
    }
}
