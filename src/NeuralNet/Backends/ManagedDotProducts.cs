using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's path for Aᵀ·B with a long inner dimension (the weight gradient Xᵀ·dZ over a large batch):
/// both operands are read down their contiguous columns as dot products, so A needs no transposed copy.
/// </summary>
internal static class ManagedDotProducts
{
    /// <summary>The inner dimension's chunk for dot products: 2 columns of B and 4 of A over it fit in L1.</summary>
    private const int DotChunk = 1024;

    /// <summary>
    /// Columns [first, last) of C = Aᵀ·B + beta·C with A stored k×m and B stored k×n: C(i, j) is the dot product of
    /// column i of A and column j of B. The inner dimension goes in chunks so that a chunk of B's columns stays in
    /// cache while every row of C is visited; within a chunk, four rows by two columns are summed at a time.
    /// </summary>
    internal static void ColumnDots<T>(int m, int k, T[] a, T[] b, T beta, T[] c, int first, int last)
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
}
