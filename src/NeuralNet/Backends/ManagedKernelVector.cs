using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's portable micro-kernels, with <see cref="Vector{T}"/> for hardware without accelerated
/// 512-bit vectors: a tile of two vectors of rows by four columns (or one), built like
/// <see cref="ManagedKernel512"/> and with the same property that no element's result depends on the tile.
/// </summary>
internal static class ManagedKernelVector
{
    /// <summary>The columns of C that the widest tile computes at once.</summary>
    public const int Columns = 4;

    /// <summary>C(0..rows, 0..4) (+)= A·B over <paramref name="kc"/> steps; the arguments are those of <see cref="ManagedKernel512.Tile8{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile4<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, int columnStep, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b0, columnStep);
        ref T b2 = ref Unsafe.Add(ref b1, columnStep);
        ref T b3 = ref Unsafe.Add(ref b2, columnStep);
        Vector<T> c00 = Vector<T>.Zero, c01 = Vector<T>.Zero, c10 = Vector<T>.Zero, c11 = Vector<T>.Zero;
        Vector<T> c20 = Vector<T>.Zero, c21 = Vector<T>.Zero, c30 = Vector<T>.Zero, c31 = Vector<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            Vector<T> a0 = Vector.LoadUnsafe(ref a, (nuint)at);
            Vector<T> a1 = Vector.LoadUnsafe(ref a, (nuint)(at + width));
            var v = new Vector<T>(Unsafe.Add(ref b0, q));
            c00 = MultiplyAdd(a0, v, c00);
            c01 = MultiplyAdd(a1, v, c01);
            v = new Vector<T>(Unsafe.Add(ref b1, q));
            c10 = MultiplyAdd(a0, v, c10);
            c11 = MultiplyAdd(a1, v, c11);
            v = new Vector<T>(Unsafe.Add(ref b2, q));
            c20 = MultiplyAdd(a0, v, c20);
            c21 = MultiplyAdd(a1, v, c21);
            v = new Vector<T>(Unsafe.Add(ref b3, q));
            c30 = MultiplyAdd(a0, v, c30);
            c31 = MultiplyAdd(a1, v, c31);
        }

        Store(ref c, c00, c01, overwrite);
        Store(ref Unsafe.Add(ref c, ldc), c10, c11, overwrite);
        Store(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, overwrite);
        Store(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, overwrite);
    }

    /// <summary>As <see cref="Tile4{T}"/> for one column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile1<T>(int kc, ref T a, nint aStride, ref T b, int rowStep, ref T c, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        Vector<T> c00 = Vector<T>.Zero, c01 = Vector<T>.Zero;
        nint step = rowStep;
        nint end = kc * step;
        nint at = 0;
        for (nint q = 0; q != end; q += step, at += aStride)
        {
            var v = new Vector<T>(Unsafe.Add(ref b, q));
            c00 = MultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)at), v, c00);
            c01 = MultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)(at + width)), v, c01);
        }

        Store(ref c, c00, c01, overwrite);
    }

    /// <summary>
    /// <c>a·b + c</c>, fused where the hardware has it and as a multiply then an add where it has not: either way
    /// the same on every call on one machine, which is what determinism needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        }

        return (a * b) + c;
    }

    /// <summary>
    /// Adds (or, when <paramref name="overwrite"/>, writes) one column of a tile into C. The kernels make no calls
    /// after their loop: a call would make the register allocator keep the accumulators on the stack throughout it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, Vector<T> low, Vector<T> high, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint width = (nuint)Vector<T>.Count;
        if (!overwrite)
        {
            low += Vector.LoadUnsafe(ref c);
            high += Vector.LoadUnsafe(ref c, width);
        }

        low.StoreUnsafe(ref c);
        high.StoreUnsafe(ref c, width);
    }
}
