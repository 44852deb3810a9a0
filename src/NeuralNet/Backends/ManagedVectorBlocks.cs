using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's portable register blocks, written with <see cref="Vector{T}"/> so they run on any
/// hardware: the rows the 512-bit blocks (<see cref="ManagedWideBlocks"/>) leave, or all rows where those are not
/// accelerated, four columns at a time, and the columns left over after blocks of four one at a time.
/// </summary>
internal static class ManagedVectorBlocks
{
    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of four columns of C with <see cref="Vector{T}"/>: each loaded vector of A
    /// is used four times, and C stays in registers over k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Block4<T>(int m, int rowStart, int rowEnd, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
    internal static void Block1<T>(int m, int k, ReadOnlySpan<T> a, T[] b, int rowStep, int columnStep, T[] c, int j)
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
}
