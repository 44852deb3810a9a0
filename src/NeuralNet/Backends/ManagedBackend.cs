using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// Matrix products in managed code with <see cref="Vector{T}"/>: op(A) is packed into a contiguous column-major
/// block when transposed, then a register-blocked kernel accumulates 2 vectors × 4 columns of C at a time.
/// Large products split C's columns across threads (<see cref="ColumnSplit"/>); each element is still summed in one
/// fixed order, so results do not depend on the thread count.
/// </summary>
internal sealed class ManagedBackend : MatrixBackend
{
    /// <summary>From this inner dimension on, Aᵀ·B is computed as dot products rather than by transposing A first.</summary>
    private const int DotThreshold = 512;

    /// <summary>The inner dimension's chunk for dot products: 2 columns of B and 4 of A over it fit in L1.</summary>
    private const int DotChunk = 1024;

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
                DotJob<T> dots = DotJob<T>.ForThisThread;
                dots.Set(m, k, a, b, beta, c);
                ColumnSplit.Run(dots, split, n);
                dots.Clear();
            }
            else
            {
                ColumnDots(m, k, a, b, beta, c, 0, n);
            }

            return;
        }

        T[]? rented = null;
        ReadOnlySpan<T> packedA = a.AsSpan(0, m * k);
        if (transposeA && m > 1 && k > 1)
        {
            // op(A) = Aᵀ with A stored k×m: copy it into m×k column-major so the kernel reads columns contiguously.
            rented = ArrayPool<T>.Shared.Rent(m * k);
            Transpose(a, k, m, rented);
            packedA = rented.AsSpan(0, m * k);
        }

        // B(p, j) = b[p·rowStep + j·columnStep]: stored k×n without transposition, n×k with.
        int rowStep = transposeB ? n : 1;
        int columnStep = transposeB ? 1 : k;
        int chunks = ColumnSplit.Chunks(_threads, m, n, k);
        if (chunks > 1)
        {
            Job<T> job = Job<T>.ForThisThread;
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

    /// <summary>Writes <paramref name="source"/> (rows × columns, column-major) transposed into <paramref name="target"/>.</summary>
    private static void Transpose<T>(T[] source, int rows, int columns, T[] target)
    {
        const int Block = 32;
        for (int j0 = 0; j0 < columns; j0 += Block)
        {
            int j1 = Math.Min(columns, j0 + Block);
            for (int i0 = 0; i0 < rows; i0 += Block)
            {
                int i1 = Math.Min(rows, i0 + Block);
                for (int j = j0; j < j1; j++)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        target[(i * columns) + j] = source[(j * rows) + i];
                    }
                }
            }
        }
    }

    /// <summary>Computes columns [first, last) of C = A·op(B) + beta·C with A packed m×k column-major.</summary>
    private static void Columns<T>(int m, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T beta, T[] c, int first, int last)
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
                Dot4(a, b, k, j * columnStep, columnStep, c, j);
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
            RowTimesTransposed(k, a, b, rowStep, c, first, last);
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
                Block8Wide(m, r0, pairEnd, k, a, b, rowStep, columnStep, c, j0);
                for (int half = j0; half < j0 + 8; half += 4)
                {
                    Block4Wide(m, pairEnd, wideEnd, k, a, b, rowStep, columnStep, c, half);
                    Block4(m, wideEnd, r1, k, a, b, rowStep, columnStep, c, half);
                }
            }

            for (; j0 < fullColumns; j0 += 4)
            {
                if (wideEnd > r0)
                {
                    Block4Wide(m, r0, wideEnd, k, a, b, rowStep, columnStep, c, j0);
                }

                Block4(m, wideEnd, r1, k, a, b, rowStep, columnStep, c, j0);
            }
        }

        for (int j0 = fullColumns; j0 < last; j0++)
        {
            Block1(m, k, a, b, rowStep, columnStep, c, j0);
        }
    }

    /// <summary>
    /// C(0, j) += Σ_p a[p]·B(j, p) for j in [first, last), with B stored n×k so that each p gives a contiguous run of
    /// j: the row of C is accumulated in vector registers, eight vectors at a time, across all of p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesTransposed<T>(int k, ReadOnlySpan<T> a, T[] b, int rowStep, T[] c, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        int j = first;
        for (; j + (4 * width) <= last; j += 4 * width)
        {
            Vector<T> s0 = Vector.LoadUnsafe(ref Unsafe.Add(ref rc, j));
            Vector<T> s1 = Vector.LoadUnsafe(ref Unsafe.Add(ref rc, j + width));
            Vector<T> s2 = Vector.LoadUnsafe(ref Unsafe.Add(ref rc, j + (2 * width)));
            Vector<T> s3 = Vector.LoadUnsafe(ref Unsafe.Add(ref rc, j + (3 * width)));
            for (int p = 0; p < k; p++)
            {
                var x = new Vector<T>(a[p]);
                ref T row = ref Unsafe.Add(ref rb, (p * rowStep) + j);
                s0 += x * Vector.LoadUnsafe(ref row);
                s1 += x * Vector.LoadUnsafe(ref Unsafe.Add(ref row, width));
                s2 += x * Vector.LoadUnsafe(ref Unsafe.Add(ref row, 2 * width));
                s3 += x * Vector.LoadUnsafe(ref Unsafe.Add(ref row, 3 * width));
            }

            s0.StoreUnsafe(ref Unsafe.Add(ref rc, j));
            s1.StoreUnsafe(ref Unsafe.Add(ref rc, j + width));
            s2.StoreUnsafe(ref Unsafe.Add(ref rc, j + (2 * width)));
            s3.StoreUnsafe(ref Unsafe.Add(ref rc, j + (3 * width)));
        }

        for (; j < last; j++)
        {
            T sum = c[j];
            for (int p = 0; p < k; p++)
            {
                sum += a[p] * Unsafe.Add(ref rb, (p * rowStep) + j);
            }

            c[j] = sum;
        }
    }

    /// <summary>
    /// Four dot products of <paramref name="x"/> with four consecutive columns of <paramref name="b"/>, each summed in
    /// exactly the order <see cref="Internal.Reduce.Dot{T}"/> uses, so a column's result does not depend on whether
    /// it was computed here or alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<T>(ReadOnlySpan<T> x, T[] b, int k, int offset, int columnStep, T[] c, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T r0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), offset);
        ref T r1 = ref Unsafe.Add(ref r0, columnStep);
        ref T r2 = ref Unsafe.Add(ref r1, columnStep);
        ref T r3 = ref Unsafe.Add(ref r2, columnStep);
        T d0 = T.Zero, d1 = T.Zero, d2 = T.Zero, d3 = T.Zero;
        int p = 0;
        if (Vector.IsHardwareAccelerated && k >= 2 * width)
        {
            Vector<T> e0 = Vector<T>.Zero, o0 = Vector<T>.Zero, e1 = Vector<T>.Zero, o1 = Vector<T>.Zero;
            Vector<T> e2 = Vector<T>.Zero, o2 = Vector<T>.Zero, e3 = Vector<T>.Zero, o3 = Vector<T>.Zero;
            for (; p + (2 * width) <= k; p += 2 * width)
            {
                Vector<T> xe = Vector.LoadUnsafe(ref Unsafe.Add(ref rx, p));
                Vector<T> xo = Vector.LoadUnsafe(ref Unsafe.Add(ref rx, p + width));
                e0 += xe * Vector.LoadUnsafe(ref Unsafe.Add(ref r0, p));
                o0 += xo * Vector.LoadUnsafe(ref Unsafe.Add(ref r0, p + width));
                e1 += xe * Vector.LoadUnsafe(ref Unsafe.Add(ref r1, p));
                o1 += xo * Vector.LoadUnsafe(ref Unsafe.Add(ref r1, p + width));
                e2 += xe * Vector.LoadUnsafe(ref Unsafe.Add(ref r2, p));
                o2 += xo * Vector.LoadUnsafe(ref Unsafe.Add(ref r2, p + width));
                e3 += xe * Vector.LoadUnsafe(ref Unsafe.Add(ref r3, p));
                o3 += xo * Vector.LoadUnsafe(ref Unsafe.Add(ref r3, p + width));
            }

            d0 = Vector.Sum(e0 + o0);
            d1 = Vector.Sum(e1 + o1);
            d2 = Vector.Sum(e2 + o2);
            d3 = Vector.Sum(e3 + o3);
        }

        for (; p < k; p++)
        {
            T xp = Unsafe.Add(ref rx, p);
            d0 += xp * Unsafe.Add(ref r0, p);
            d1 += xp * Unsafe.Add(ref r1, p);
            d2 += xp * Unsafe.Add(ref r2, p);
            d3 += xp * Unsafe.Add(ref r3, p);
        }

        c[j] += d0;
        c[j + 1] += d1;
        c[j + 2] += d2;
        c[j + 3] += d3;
    }

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of four columns of C with 512-bit vectors and fused multiply-adds: 2 vectors
    /// of rows × 4 columns of accumulators stay in registers over k, and each loaded vector of A is used four times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4Wide<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        int b0 = j * columnStep;
        int b1 = b0 + columnStep;
        int b2 = b1 + columnStep;
        int b3 = b2 + columnStep;
        int i = rowStart;
        for (; i + (2 * width) <= rowEnd; i += 2 * width)
        {
            Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
            Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
            for (int p = 0; p < k; p++)
            {
                ref T column = ref Unsafe.Add(ref ra, (p * m) + i);
                Vector512<T> a0 = Vector512.LoadUnsafe(ref column);
                Vector512<T> a1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref column, width));
                int q = p * rowStep;
                Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref rb, b0 + q));
                Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref rb, b1 + q));
                Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref rb, b2 + q));
                Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref rb, b3 + q));
                c00 = MultiplyAdd(a0, v0, c00);
                c01 = MultiplyAdd(a1, v0, c01);
                c10 = MultiplyAdd(a0, v1, c10);
                c11 = MultiplyAdd(a1, v1, c11);
                c20 = MultiplyAdd(a0, v2, c20);
                c21 = MultiplyAdd(a1, v2, c21);
                c30 = MultiplyAdd(a0, v3, c30);
                c31 = MultiplyAdd(a1, v3, c31);
            }

            AddWide(ref rc, (j * m) + i, c00);
            AddWide(ref rc, (j * m) + i + width, c01);
            AddWide(ref rc, ((j + 1) * m) + i, c10);
            AddWide(ref rc, ((j + 1) * m) + i + width, c11);
            AddWide(ref rc, ((j + 2) * m) + i, c20);
            AddWide(ref rc, ((j + 2) * m) + i + width, c21);
            AddWide(ref rc, ((j + 3) * m) + i, c30);
            AddWide(ref rc, ((j + 3) * m) + i + width, c31);
        }

        for (; i + width <= rowEnd; i += width)
        {
            Vector512<T> c0 = Vector512<T>.Zero, c1 = Vector512<T>.Zero, c2 = Vector512<T>.Zero, c3 = Vector512<T>.Zero;
            for (int p = 0; p < k; p++)
            {
                Vector512<T> a0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref ra, (p * m) + i));
                int q = p * rowStep;
                c0 = MultiplyAdd(a0, Vector512.Create(Unsafe.Add(ref rb, b0 + q)), c0);
                c1 = MultiplyAdd(a0, Vector512.Create(Unsafe.Add(ref rb, b1 + q)), c1);
                c2 = MultiplyAdd(a0, Vector512.Create(Unsafe.Add(ref rb, b2 + q)), c2);
                c3 = MultiplyAdd(a0, Vector512.Create(Unsafe.Add(ref rb, b3 + q)), c3);
            }

            AddWide(ref rc, (j * m) + i, c0);
            AddWide(ref rc, ((j + 1) * m) + i, c1);
            AddWide(ref rc, ((j + 2) * m) + i, c2);
            AddWide(ref rc, ((j + 3) * m) + i, c3);
        }
    }

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) (a multiple of two 512-bit vectors) of eight columns of C:
    /// 2 vectors of rows × 8 columns = 16 accumulators in registers over k, so each pair of loaded vectors of A
    /// feeds sixteen fused multiply-adds against eight broadcasts of B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8Wide<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        ref T b0 = ref Unsafe.Add(ref rb, j * columnStep);
        ref T b1 = ref Unsafe.Add(ref b0, columnStep);
        ref T b2 = ref Unsafe.Add(ref b1, columnStep);
        ref T b3 = ref Unsafe.Add(ref b2, columnStep);
        ref T b4 = ref Unsafe.Add(ref b3, columnStep);
        ref T b5 = ref Unsafe.Add(ref b4, columnStep);
        ref T b6 = ref Unsafe.Add(ref b5, columnStep);
        ref T b7 = ref Unsafe.Add(ref b6, columnStep);
        for (int i = rowStart; i + (2 * width) <= rowEnd; i += 2 * width)
        {
            Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
            Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
            Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero, c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
            Vector512<T> c60 = Vector512<T>.Zero, c61 = Vector512<T>.Zero, c70 = Vector512<T>.Zero, c71 = Vector512<T>.Zero;
            ref T column = ref Unsafe.Add(ref ra, i);
            int q = 0;
            for (int p = 0; p < k; p++, q += rowStep)
            {
                Vector512<T> a0 = Vector512.LoadUnsafe(ref column);
                Vector512<T> a1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref column, width));
                column = ref Unsafe.Add(ref column, m);
                Vector512<T> v = Vector512.Create(Unsafe.Add(ref b0, q));
                c00 = MultiplyAdd(a0, v, c00);
                c01 = MultiplyAdd(a1, v, c01);
                v = Vector512.Create(Unsafe.Add(ref b1, q));
                c10 = MultiplyAdd(a0, v, c10);
                c11 = MultiplyAdd(a1, v, c11);
                v = Vector512.Create(Unsafe.Add(ref b2, q));
                c20 = MultiplyAdd(a0, v, c20);
                c21 = MultiplyAdd(a1, v, c21);
                v = Vector512.Create(Unsafe.Add(ref b3, q));
                c30 = MultiplyAdd(a0, v, c30);
                c31 = MultiplyAdd(a1, v, c31);
                v = Vector512.Create(Unsafe.Add(ref b4, q));
                c40 = MultiplyAdd(a0, v, c40);
                c41 = MultiplyAdd(a1, v, c41);
                v = Vector512.Create(Unsafe.Add(ref b5, q));
                c50 = MultiplyAdd(a0, v, c50);
                c51 = MultiplyAdd(a1, v, c51);
                v = Vector512.Create(Unsafe.Add(ref b6, q));
                c60 = MultiplyAdd(a0, v, c60);
                c61 = MultiplyAdd(a1, v, c61);
                v = Vector512.Create(Unsafe.Add(ref b7, q));
                c70 = MultiplyAdd(a0, v, c70);
                c71 = MultiplyAdd(a1, v, c71);
            }

            int at = (j * m) + i;
            AddWide(ref rc, at, c00);
            AddWide(ref rc, at + width, c01);
            AddWide(ref rc, at + m, c10);
            AddWide(ref rc, at + m + width, c11);
            AddWide(ref rc, at + (2 * m), c20);
            AddWide(ref rc, at + (2 * m) + width, c21);
            AddWide(ref rc, at + (3 * m), c30);
            AddWide(ref rc, at + (3 * m) + width, c31);
            AddWide(ref rc, at + (4 * m), c40);
            AddWide(ref rc, at + (4 * m) + width, c41);
            AddWide(ref rc, at + (5 * m), c50);
            AddWide(ref rc, at + (5 * m) + width, c51);
            AddWide(ref rc, at + (6 * m), c60);
            AddWide(ref rc, at + (6 * m) + width, c61);
            AddWide(ref rc, at + (7 * m), c70);
            AddWide(ref rc, at + (7 * m) + width, c71);
        }
    }

    /// <summary><c>a·b + c</c>, fused into one rounding where the hardware can (float and double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWide<T>(ref T c, int offset, Vector512<T> value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T target = ref Unsafe.Add(ref c, offset);
        (Vector512.LoadUnsafe(ref target) + value).StoreUnsafe(ref target);
    }

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of four columns of C with <see cref="Vector{T}"/>: each loaded vector of A
    /// is used four times, and C stays in registers over k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        int b0 = j * columnStep;
        int b1 = b0 + columnStep;
        int b2 = b1 + columnStep;
        int b3 = b2 + columnStep;
        int i = rowStart;
        for (; i + (2 * width) <= rowEnd; i += 2 * width)
        {
            Vector<T> c00 = Vector<T>.Zero, c01 = Vector<T>.Zero, c10 = Vector<T>.Zero, c11 = Vector<T>.Zero;
            Vector<T> c20 = Vector<T>.Zero, c21 = Vector<T>.Zero, c30 = Vector<T>.Zero, c31 = Vector<T>.Zero;
            for (int p = 0; p < k; p++)
            {
                ref T column = ref Unsafe.Add(ref ra, (p * m) + i);
                Vector<T> a0 = Vector.LoadUnsafe(ref column);
                Vector<T> a1 = Vector.LoadUnsafe(ref Unsafe.Add(ref column, width));
                int q = p * rowStep;
                var v0 = new Vector<T>(Unsafe.Add(ref rb, b0 + q));
                var v1 = new Vector<T>(Unsafe.Add(ref rb, b1 + q));
                var v2 = new Vector<T>(Unsafe.Add(ref rb, b2 + q));
                var v3 = new Vector<T>(Unsafe.Add(ref rb, b3 + q));
                c00 += a0 * v0;
                c01 += a1 * v0;
                c10 += a0 * v1;
                c11 += a1 * v1;
                c20 += a0 * v2;
                c21 += a1 * v2;
                c30 += a0 * v3;
                c31 += a1 * v3;
            }

            Accumulate(ref rc, (j * m) + i, width, c00, c01);
            Accumulate(ref rc, ((j + 1) * m) + i, width, c10, c11);
            Accumulate(ref rc, ((j + 2) * m) + i, width, c20, c21);
            Accumulate(ref rc, ((j + 3) * m) + i, width, c30, c31);
        }

        for (; i + width <= rowEnd; i += width)
        {
            Vector<T> c0 = Vector<T>.Zero, c1 = Vector<T>.Zero, c2 = Vector<T>.Zero, c3 = Vector<T>.Zero;
            for (int p = 0; p < k; p++)
            {
                Vector<T> a0 = Vector.LoadUnsafe(ref Unsafe.Add(ref ra, (p * m) + i));
                int q = p * rowStep;
                c0 += a0 * new Vector<T>(Unsafe.Add(ref rb, b0 + q));
                c1 += a0 * new Vector<T>(Unsafe.Add(ref rb, b1 + q));
                c2 += a0 * new Vector<T>(Unsafe.Add(ref rb, b2 + q));
                c3 += a0 * new Vector<T>(Unsafe.Add(ref rb, b3 + q));
            }

            Add(ref rc, (j * m) + i, c0);
            Add(ref rc, ((j + 1) * m) + i, c1);
            Add(ref rc, ((j + 2) * m) + i, c2);
            Add(ref rc, ((j + 3) * m) + i, c3);
        }

        for (; i < rowEnd; i++)
        {
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            for (int p = 0; p < k; p++)
            {
                T x = Unsafe.Add(ref ra, (p * m) + i);
                int q = p * rowStep;
                s0 += x * Unsafe.Add(ref rb, b0 + q);
                s1 += x * Unsafe.Add(ref rb, b1 + q);
                s2 += x * Unsafe.Add(ref rb, b2 + q);
                s3 += x * Unsafe.Add(ref rb, b3 + q);
            }

            Unsafe.Add(ref rc, (j * m) + i) += s0;
            Unsafe.Add(ref rc, ((j + 1) * m) + i) += s1;
            Unsafe.Add(ref rc, ((j + 2) * m) + i) += s2;
            Unsafe.Add(ref rc, ((j + 3) * m) + i) += s3;
        }
    }

    /// <summary>One column of C, for the columns left over after blocks of four.</summary>
    private static void Block1<T>(int m, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> target = c.AsSpan(j * m, m);
        for (int p = 0; p < k; p++)
        {
            T scale = b[(j * columnStep) + (p * rowStep)];
            TensorPrimitives.MultiplyAdd(a.Slice(p * m, m), scale, target, target);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<T>(ref T c, int offset, int width, Vector<T> low, Vector<T> high)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Add(ref c, offset, low);
        Add(ref c, offset + width, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<T>(ref T c, int offset, Vector<T> value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T target = ref Unsafe.Add(ref c, offset);
        (Vector.LoadUnsafe(ref target) + value).StoreUnsafe(ref target);
    }

    /// <summary>
    /// Columns [first, last) of C = Aᵀ·B + beta·C with A stored k×m and B stored k×n: C(i, j) is the dot product of
    /// column i of A and column j of B. The inner dimension goes in chunks so that a chunk of B's columns stays in
    /// cache while every row of C is visited; within a chunk, four rows by two columns are summed at a time.
    /// </summary>
    private static void ColumnDots<T>(int m, int k, T[] a, T[] b, T beta, T[] c, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> sums = stackalloc T[8];
        for (int p0 = 0; p0 < k; p0 += DotChunk)
        {
            int p1 = Math.Min(k, p0 + DotChunk);
            bool firstChunk = p0 == 0;
            for (int i = 0; i < m; i += 4)
            {
                int rows = Math.Min(4, m - i);
                for (int j = first; j < last; j += 2)
                {
                    int columns = Math.Min(2, last - j);
                    DotBlock(k, p0, p1, a, b, i, rows, j, columns, sums);
                    for (int jj = 0; jj < columns; jj++)
                    {
                        for (int ii = 0; ii < rows; ii++)
                        {
                            ref T target = ref c[((j + jj) * m) + i + ii];
                            T total = sums[(jj * 4) + ii];
                            target = !firstChunk || beta == T.One ? target + total : beta == T.Zero ? total : (beta * target) + total;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The dot products over [p0, p1) of columns i.. of A (up to 4) with columns j.. of B (up to 2), into <paramref name="sums"/>[column·4 + row].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotBlock<T>(int k, int p0, int p1, T[] a, T[] b, int i, int rows, int j, int columns, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int vectorEnd = p0 + ((p1 - p0) / width * width);
        ref T ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        if (rows == 4 && columns == 2)
        {
            Vector<T> s00 = Vector<T>.Zero, s10 = Vector<T>.Zero, s20 = Vector<T>.Zero, s30 = Vector<T>.Zero;
            Vector<T> s01 = Vector<T>.Zero, s11 = Vector<T>.Zero, s21 = Vector<T>.Zero, s31 = Vector<T>.Zero;
            ref T a0 = ref Unsafe.Add(ref ra, i * k);
            ref T a1 = ref Unsafe.Add(ref a0, k);
            ref T a2 = ref Unsafe.Add(ref a1, k);
            ref T a3 = ref Unsafe.Add(ref a2, k);
            ref T b0 = ref Unsafe.Add(ref rb, j * k);
            ref T b1 = ref Unsafe.Add(ref b0, k);
            for (int p = p0; p < vectorEnd; p += width)
            {
                Vector<T> y0 = Vector.LoadUnsafe(ref Unsafe.Add(ref b0, p));
                Vector<T> y1 = Vector.LoadUnsafe(ref Unsafe.Add(ref b1, p));
                Vector<T> x = Vector.LoadUnsafe(ref Unsafe.Add(ref a0, p));
                s00 += x * y0;
                s01 += x * y1;
                x = Vector.LoadUnsafe(ref Unsafe.Add(ref a1, p));
                s10 += x * y0;
                s11 += x * y1;
                x = Vector.LoadUnsafe(ref Unsafe.Add(ref a2, p));
                s20 += x * y0;
                s21 += x * y1;
                x = Vector.LoadUnsafe(ref Unsafe.Add(ref a3, p));
                s30 += x * y0;
                s31 += x * y1;
            }

            sums[0] = Vector.Sum(s00);
            sums[1] = Vector.Sum(s10);
            sums[2] = Vector.Sum(s20);
            sums[3] = Vector.Sum(s30);
            sums[4] = Vector.Sum(s01);
            sums[5] = Vector.Sum(s11);
            sums[6] = Vector.Sum(s21);
            sums[7] = Vector.Sum(s31);
        }
        else
        {
            // Edge blocks: the same per-element order (vector lanes, then the lane sum).
            for (int jj = 0; jj < columns; jj++)
            {
                for (int ii = 0; ii < rows; ii++)
                {
                    Vector<T> sum = Vector<T>.Zero;
                    ref T x = ref Unsafe.Add(ref ra, (i + ii) * k);
                    ref T y = ref Unsafe.Add(ref rb, (j + jj) * k);
                    for (int p = p0; p < vectorEnd; p += width)
                    {
                        sum += Vector.LoadUnsafe(ref Unsafe.Add(ref x, p)) * Vector.LoadUnsafe(ref Unsafe.Add(ref y, p));
                    }

                    sums[(jj * 4) + ii] = Vector.Sum(sum);
                }
            }
        }

        // Then the chunk's tail, element by element.
        for (int jj = 0; jj < columns; jj++)
        {
            for (int ii = 0; ii < rows; ii++)
            {
                T total = sums[(jj * 4) + ii];
                for (int p = vectorEnd; p < p1; p++)
                {
                    total += Unsafe.Add(ref ra, ((i + ii) * k) + p) * Unsafe.Add(ref rb, ((j + jj) * k) + p);
                }

                sums[(jj * 4) + ii] = total;
            }
        }
    }

    /// <summary>One calling thread's dot-product product (<see cref="ColumnDots{T}"/>), split by columns.</summary>
    private sealed class DotJob<T> : ColumnSplit.IColumnJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static DotJob<T>? _forThisThread;

        private int _m;
        private int _k;
        private T[]? _a;
        private T[]? _b;
        private T[]? _c;
        private T _beta;

        public static DotJob<T> ForThisThread => _forThisThread ??= new DotJob<T>();

        public void Set(int m, int k, T[] a, T[] b, T beta, T[] c) => (_m, _k, _a, _b, _beta, _c) = (m, k, a, b, beta, c);

        public void Clear() => (_a, _b, _c) = (null, null, null);

        public void Run(int first, int count) => ColumnDots(_m, _k, _a!, _b!, _beta, _c!, first, first + count);
    }

    /// <summary>One calling thread's product, split by columns; reused so a split product allocates nothing.</summary>
    private sealed class Job<T> : ColumnSplit.IColumnJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Job<T>? _forThisThread;

        private int _m;
        private int _k;
        private int _rowStep;
        private int _columnStep;
        private T[]? _a;
        private T[]? _b;
        private T[]? _c;
        private T _beta;

        public static Job<T> ForThisThread => _forThisThread ??= new Job<T>();

        public void Set(int m, int k, T[] a, T[] b, int rowStep, int columnStep, T beta, T[] c)
            => (_m, _k, _a, _b, _rowStep, _columnStep, _beta, _c) = (m, k, a, b, rowStep, columnStep, beta, c);

        public void Clear() => (_a, _b, _c) = (null, null, null);

        public void Run(int first, int count)
            => Columns(_m, _k, _a.AsSpan(0, _m * _k), _b!, _rowStep, _columnStep, _beta, _c!, first, first + count);
    }
}
