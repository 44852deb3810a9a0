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
            // One row of A against contiguous columns of B: each C entry is a SIMD dot product.
            for (int j = first; j < last; j++)
            {
                c[j] += Internal.Reduce.Dot(a, b.AsSpan(j * columnStep, k));
            }

            return;
        }

        // On AVX-512 hardware the rows go through 512-bit vectors first; what is left uses Vector<T>.
        int wide = Vector512.IsHardwareAccelerated ? m - (m % Vector512<T>.Count) : 0;
        int j0 = first;
        for (; j0 + 4 <= last; j0 += 4)
        {
            if (wide > 0)
            {
                Block4Wide(m, wide, k, a, b, rowStep, columnStep, c, j0);
            }

            Block4(m, wide, k, a, b, rowStep, columnStep, c, j0);
        }

        for (; j0 < last; j0++)
        {
            Block1(m, k, a, b, rowStep, columnStep, c, j0);
        }
    }

    /// <summary>
    /// Rows [0, <paramref name="rows"/>) of four columns of C with 512-bit vectors and fused multiply-adds: 2 vectors
    /// of rows × 4 columns of accumulators stay in registers over k, and each loaded vector of A is used four times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4Wide<T>(int m, int rows, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
        int i = 0;
        for (; i + (2 * width) <= rows; i += 2 * width)
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

        for (; i + width <= rows; i += width)
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
    /// Rows [<paramref name="firstRow"/>, m) of four columns of C with <see cref="Vector{T}"/>: each loaded vector of A
    /// is used four times, and C stays in registers over k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<T>(int m, int firstRow, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
        int i = firstRow;
        for (; i + (2 * width) <= m; i += 2 * width)
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

        for (; i + width <= m; i += width)
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

        for (; i < m; i++)
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
