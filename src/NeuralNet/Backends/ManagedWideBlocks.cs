using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's 512-bit register blocks (AVX-512 hardware): rows of C two <see cref="Vector512{T}"/> (or one)
/// at a time against four or eight columns, accumulated with fused multiply-adds. They live apart from the
/// <see cref="Vector{T}"/> blocks because they are only reached when <see cref="Vector512.IsHardwareAccelerated"/>,
/// and they round differently (one rounding per multiply-add), so <see cref="ManagedBackend"/> decides which rows
/// they take from the shapes and the hardware, never from the thread count.
/// </summary>
internal static class ManagedWideBlocks
{
    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of four columns of C with 512-bit vectors and fused multiply-adds: 2 vectors
    /// of rows × 4 columns of accumulators stay in registers over k, and each loaded vector of A is used four times.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Block4Wide<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
    internal static void Block8Wide<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
}
