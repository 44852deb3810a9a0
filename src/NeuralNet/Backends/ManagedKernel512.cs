using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's micro-kernels on AVX-512 hardware: one tile of C, two <see cref="Vector512{T}"/> of rows
/// (a panel of A, <see cref="ManagedGemm.PanelRows{T}"/> rows per step of p, packed or in place) by eight, four, two or one columns,
/// with every accumulator in a register over the whole block of k. B is read in place, one broadcast per column
/// and step of p, so it needs no packing.
/// </summary>
/// <remarks>
/// Every element of C is one fused multiply-add chain from zero over the block of p in order, then added to C (or
/// stored, on the first block of a product with beta = 0). Nothing in that depends on which tile, or how wide a
/// tile, computes the element, so the partition of C between threads never changes a bit of the result.
/// </remarks>
internal static class ManagedKernel512
{
    /// <summary>The columns of C that the widest tile computes at once.</summary>
    public const int Columns = 8;

    /// <summary>
    /// C(0..2 vectors, 0..8) (+)= A·B over <paramref name="kc"/> steps, with A's 2 vectors of rows for each step
    /// <paramref name="aStride"/> apart (a packed panel's rows, or A's column length when it is read in place) and
    /// B(p, j) at <paramref name="b"/>[p·rowStep + j·columnStep]; C's columns are <paramref name="ldc"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile8<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, int columnStep, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b0, columnStep);
        ref T b2 = ref Unsafe.Add(ref b1, columnStep);
        ref T b3 = ref Unsafe.Add(ref b2, columnStep);
        ref T b4 = ref Unsafe.Add(ref b3, columnStep);
        ref T b5 = ref Unsafe.Add(ref b4, columnStep);
        ref T b6 = ref Unsafe.Add(ref b5, columnStep);
        ref T b7 = ref Unsafe.Add(ref b6, columnStep);
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
        Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero, c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
        Vector512<T> c60 = Vector512<T>.Zero, c61 = Vector512<T>.Zero, c70 = Vector512<T>.Zero, c71 = Vector512<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            Vector512<T> a0 = Vector512.LoadUnsafe(ref a, (nuint)at);
            Vector512<T> a1 = Vector512.LoadUnsafe(ref a, (nuint)(at + width));
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

        Store(ref c, c00, c01, overwrite);
        Store(ref Unsafe.Add(ref c, ldc), c10, c11, overwrite);
        Store(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, overwrite);
        Store(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, overwrite);
        Store(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, overwrite);
        Store(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, overwrite);
        Store(ref Unsafe.Add(ref c, 6 * ldc), c60, c61, overwrite);
        Store(ref Unsafe.Add(ref c, 7 * ldc), c70, c71, overwrite);
    }

    /// <summary>As <see cref="Tile8{T}"/> for four columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile4<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, int columnStep, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b0, columnStep);
        ref T b2 = ref Unsafe.Add(ref b1, columnStep);
        ref T b3 = ref Unsafe.Add(ref b2, columnStep);
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            Vector512<T> a0 = Vector512.LoadUnsafe(ref a, (nuint)at);
            Vector512<T> a1 = Vector512.LoadUnsafe(ref a, (nuint)(at + width));
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
        }

        Store(ref c, c00, c01, overwrite);
        Store(ref Unsafe.Add(ref c, ldc), c10, c11, overwrite);
        Store(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, overwrite);
        Store(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, overwrite);
    }

    /// <summary>As <see cref="Tile8{T}"/> for two columns (the last two of ten outputs, say).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile2<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, int columnStep, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b0, columnStep);
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            Vector512<T> a0 = Vector512.LoadUnsafe(ref a, (nuint)at);
            Vector512<T> a1 = Vector512.LoadUnsafe(ref a, (nuint)(at + width));
            Vector512<T> v = Vector512.Create(Unsafe.Add(ref b0, q));
            c00 = MultiplyAdd(a0, v, c00);
            c01 = MultiplyAdd(a1, v, c01);
            v = Vector512.Create(Unsafe.Add(ref b1, q));
            c10 = MultiplyAdd(a0, v, c10);
            c11 = MultiplyAdd(a1, v, c11);
        }

        Store(ref c, c00, c01, overwrite);
        Store(ref Unsafe.Add(ref c, ldc), c10, c11, overwrite);
    }

    /// <summary>As <see cref="Tile8{T}"/> for one column; two chains per vector of rows keep the adder busy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile1<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, ref T c, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            Vector512<T> v = Vector512.Create(Unsafe.Add(ref b, q));
            c00 = MultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)at), v, c00);
            c01 = MultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(at + width)), v, c01);
        }

        Store(ref c, c00, c01, overwrite);
    }

    /// <summary><c>a·b + c</c> with one rounding (AVX-512 hardware always has fused multiply-add).</summary>
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

    /// <summary>
    /// Adds (or, when <paramref name="overwrite"/>, writes) one column of a tile into C. The kernels make no calls
    /// after their loop: a call would make the register allocator keep the accumulators on the stack throughout it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, Vector512<T> low, Vector512<T> high, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint width = (nuint)Vector512<T>.Count;
        if (!overwrite)
        {
            low += Vector512.LoadUnsafe(ref c);
            high += Vector512.LoadUnsafe(ref c, width);
        }

        low.StoreUnsafe(ref c);
        high.StoreUnsafe(ref c, width);
    }
}
