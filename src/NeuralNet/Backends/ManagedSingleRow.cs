using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's kernels for a product with one row (batch size 1): there is no block of rows to share the
/// loads of B, so they run along the contiguous direction of B instead, dot products when B's columns are
/// contiguous and a scaled sum of B's rows when B is transposed.
/// </summary>
internal static class ManagedSingleRow
{
    /// <summary>
    /// C(0, j) += Σ_p a[p]·B(j, p) for j in [first, last), with B stored n×k so that each p gives a contiguous run of
    /// j: the row of C is accumulated in vector registers, four vectors at a time, across all of p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowTimesTransposed<T>(int k, ReadOnlySpan<T> a, T[] b, int rowStep, T[] c, int first, int last)
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
    internal static void Dot4<T>(ReadOnlySpan<T> x, T[] b, int k, int offset, int columnStep, T[] c, int j)
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
}
