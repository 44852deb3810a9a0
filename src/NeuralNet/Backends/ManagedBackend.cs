using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// Matrix products in managed code with <see cref="Vector{T}"/>: op(A) is packed into a contiguous column-major
/// block when transposed, then a register-blocked kernel accumulates 2 vectors × 4 (or 8) columns of C at a time.
/// Large products split C's columns across threads (<see cref="ColumnSplit"/>); each element is still summed in one
/// fixed order, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// This file holds the dispatch: <see cref="Multiply{T}"/> chooses the path for the whole product and
/// <see cref="Columns{T}"/> the kernel for each block of a range of columns, from the shapes alone. The kernels live
/// beside it: <see cref="ManagedWideBlocks"/> (512-bit), <see cref="ManagedVectorBlocks"/> (<see cref="Vector{T}"/>),
/// <see cref="ManagedSingleRow"/> (one row), <see cref="ManagedDotProducts"/> (long Aᵀ·B) and
/// <see cref="ManagedPacking"/>; <see cref="ManagedJob{T}"/> and <see cref="ManagedDotJob{T}"/> carry a product to the
/// threads.
/// </remarks>
internal sealed class ManagedBackend : MatrixBackend
{
    /// <summary>From this inner dimension on, Aᵀ·B is computed as dot products rather than by transposing A first.</summary>
    private const int DotThreshold = 512;

    /// <summary>Rows per cache block: a multiple of every vector width, small enough that the block's slice of A stays in L2.</summary>
    private const int RowBlock = 256;

    private int _threads = Environment.ProcessorCount;

    private ManagedBackend()
    {
    }

    public static ManagedBackend Instance { get; } = new();

    public override string Name => "managed";

    public override string Description => $"managed ({Vector<byte>.Count * 8}-bit vectors)";

    internal override void ApplyThreadCount(int threads) => _threads = threads;

    internal override void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c)
    {
        if (transposeA && !transposeB && k >= DotThreshold)
        {
            // Aᵀ·B with long columns: each C entry is a dot product of two contiguous columns, no packing needed.
            int split = ColumnSplit.Chunks(_threads, m, n, k);
            if (split > 1)
            {
                ManagedDotJob<T> dots = ManagedDotJob<T>.ForThisThread;
                dots.Set(m, k, a, b, beta, c);
                ColumnSplit.Run(dots, split, n);
                dots.Clear();
            }
            else
            {
                ManagedDotProducts.ColumnDots(m, k, a, b, beta, c, 0, n);
            }

            return;
        }

        T[]? rented = null;
        ReadOnlySpan<T> packedA = a.AsSpan(0, m * k);
        if (transposeA && m > 1 && k > 1)
        {
            // op(A) = Aᵀ with A stored k×m: copy it into m×k column-major so the kernel reads columns contiguously.
            rented = ArrayPool<T>.Shared.Rent(m * k);
            ManagedPacking.Transpose(a, k, m, rented);
            packedA = rented.AsSpan(0, m * k);
        }

        // B(p, j) = b[p·rowStep + j·columnStep]: stored k×n without transposition, n×k with.
        int rowStep = transposeB ? n : 1;
        int columnStep = transposeB ? 1 : k;
        int chunks = ColumnSplit.Chunks(_threads, m, n, k);
        if (chunks > 1)
        {
            ManagedJob<T> job = ManagedJob<T>.ForThisThread;
            job.Set(m, k, rented ?? a, b, rowStep, columnStep, beta, c);
            ColumnSplit.Run(job, chunks, n);
            job.Clear();
        }
        else
        {
            Columns(m, k, packedA, b, rowStep, columnStep, beta, c, 0, n);
        }

        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Computes columns [first, last) of C = A·op(B) + beta·C with A packed m×k column-major.</summary>
    internal static void Columns<T>(int m, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T beta, T[] c, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> cs = c.AsSpan(first * m, (last - first) * m);
        if (beta == T.Zero)
        {
            cs.Clear();
        }
        else if (beta != T.One)
        {
            TensorPrimitives.Multiply(cs, beta, cs);
        }

        if (m == 1 && rowStep == 1)
        {
            // One row of A against contiguous columns of B: dot products, four columns per pass over A's row.
            int j = first;
            for (; j + 4 <= last; j += 4)
            {
                ManagedSingleRow.Dot4(a, b, k, j * columnStep, columnStep, c, j);
            }

            for (; j < last; j++)
            {
                c[j] += Internal.Reduce.Dot(a, b.AsSpan(j * columnStep, k));
            }

            return;
        }

        if (m == 1 && columnStep == 1)
        {
            // One row of A against Bᵀ: row p of op(B) is contiguous in B's storage, so C's row grows by a[p] times
            // that row, one vectorised multiply-add per p (each entry still summed over p in order).
            ManagedSingleRow.RowTimesTransposed(k, a, b, rowStep, c, first, last);
            return;
        }

        // Rows go in blocks that keep their slice of A in cache while every column of C is visited; within a
        // block, 512-bit vectors take the rows first on AVX-512 hardware and Vector<T> the rest.
        int fullColumns = first + ((last - first) / 4 * 4);
        for (int r0 = 0; r0 < m; r0 += RowBlock)
        {
            int r1 = Math.Min(m, r0 + RowBlock);
            int wideEnd = Vector512.IsHardwareAccelerated ? r1 - ((r1 - r0) % Vector512<T>.Count) : r0;
            int pairEnd = r0 + ((wideEnd - r0) / (2 * Vector512<T>.Count) * (2 * Vector512<T>.Count));
            int j0 = first;
            for (; j0 + 8 <= fullColumns && pairEnd > r0; j0 += 8)
            {
                // Eight columns at a time where two 512-bit vectors of rows fit: twice the accumulators of Block4Wide
                // for the same loads of A. Each entry of C is still one fused multiply-add chain over p in order, so
                // the result is the same bit for bit whichever block computes it.
                ManagedWideBlocks.Block8Wide(m, r0, pairEnd, k, a, b, rowStep, columnStep, c, j0);
                for (int half = j0; half < j0 + 8; half += 4)
                {
                    ManagedWideBlocks.Block4Wide(m, pairEnd, wideEnd, k, a, b, rowStep, columnStep, c, half);
                    ManagedVectorBlocks.Block4(m, wideEnd, r1, k, a, b, rowStep, columnStep, c, half);
                }
            }

            for (; j0 < fullColumns; j0 += 4)
            {
                if (wideEnd > r0)
                {
                    ManagedWideBlocks.Block4Wide(m, r0, wideEnd, k, a, b, rowStep, columnStep, c, j0);
                }

                ManagedVectorBlocks.Block4(m, wideEnd, r1, k, a, b, rowStep, columnStep, c, j0);
            }
        }

        for (int j0 = fullColumns; j0 < last; j0++)
        {
            ManagedVectorBlocks.Block1(m, k, a, b, rowStep, columnStep, c, j0);
        }
    }
}
