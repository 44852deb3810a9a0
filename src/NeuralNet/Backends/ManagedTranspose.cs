using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Backends;

/// <summary>
/// Packing of a transposed A (Aᵀ·B, the weight gradient): panel rows are A's stored columns, each contiguous over
/// p, and the panel wants them interleaved, so blocks are transposed on the way: 16×16 floats or 8×8 doubles in
/// AVX-512 registers (three rounds of shuffles), element by element elsewhere.
/// </summary>
internal static class ManagedTranspose
{
    /// <summary>How far ahead along a row the packing prefetches: eight 64-byte lines of floats (sixteen of doubles).</summary>
    private const int Ahead = 128;

    /// <summary>
    /// Writes rows r &lt; <paramref name="count"/> of a panel, row r read from <paramref name="source"/>[r·<paramref name="k"/> + p],
    /// into <paramref name="panel"/>[p·<paramref name="panelRows"/> + r] for p &lt; <paramref name="kc"/>; rows from
    /// <paramref name="count"/> to <paramref name="panelRows"/> are zero.
    /// </summary>
    /// <remarks>
    /// Each row holds <paramref name="rowLength"/> elements from <paramref name="source"/> on (to the end of A's stored
    /// column): the prefetch reaches past the block but never past that, so no reference leaves the array.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Pack<T>(ref T source, int k, int rowLength, int count, int kc, int panelRows, ref T panel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = Avx512F.IsSupported ? Vector512<T>.Count : panelRows;
        int r0 = 0;
        if (Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && panelRows % block == 0)
        {
            for (; r0 + block <= count; r0 += block)
            {
                ref T rows = ref Unsafe.Add(ref source, (nint)r0 * k);
                ref T target = ref Unsafe.Add(ref panel, r0);
                int p = 0;
                for (; p + block <= kc; p += block)
                {
                    // The same rows' lines Ahead steps of p further on: each row is its own stream.
                    if (p + Ahead < rowLength)
                    {
                        for (int r = 0; r < block; r++)
                        {
                            ManagedPrefetch.Line(ref Unsafe.Add(ref rows, ((nint)r * k) + p + Ahead));
                        }
                    }

                    if (typeof(T) == typeof(float))
                    {
                        Transpose16(ref Unsafe.As<T, float>(ref Unsafe.Add(ref rows, p)), k, ref Unsafe.As<T, float>(ref Unsafe.Add(ref target, p * panelRows)), panelRows);
                    }
                    else
                    {
                        Transpose8(ref Unsafe.As<T, double>(ref Unsafe.Add(ref rows, p)), k, ref Unsafe.As<T, double>(ref Unsafe.Add(ref target, p * panelRows)), panelRows);
                    }
                }

                Scalar(ref rows, k, block, block, p, kc, panelRows, ref target);
            }
        }

        Scalar(ref Unsafe.Add(ref source, (nint)r0 * k), k, count - r0, panelRows - r0, 0, kc, panelRows, ref Unsafe.Add(ref panel, r0));
    }

    /// <summary>Rows [0, <paramref name="rows"/>) of <paramref name="count"/> real ones (the rest zero) for p in [<paramref name="p0"/>, <paramref name="kc"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(ref T source, int k, int count, int rows, int p0, int kc, int panelRows, ref T panel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref panel, r);
            if (r < count)
            {
                ref T column = ref Unsafe.Add(ref source, (nint)r * k);
                for (int p = p0; p < kc; p++)
                {
                    Unsafe.Add(ref row, p * panelRows) = Unsafe.Add(ref column, p);
                }
            }
            else
            {
                // Padding rows past the end of A: no reference to them is formed.
                for (int p = p0; p < kc; p++)
                {
                    Unsafe.Add(ref row, p * panelRows) = T.Zero;
                }
            }
        }
    }

    /// <summary>Row r of the 16×16 block at <paramref name="source"/> (rows <paramref name="k"/> apart) becomes column r at <paramref name="target"/> (rows <paramref name="stride"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16(ref float source, int k, ref float target, int stride)
    {
        nint step = k;
        Vector512<float> r0 = Vector512.LoadUnsafe(ref source);
        Vector512<float> r1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, step));
        Vector512<float> r2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 2 * step));
        Vector512<float> r3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 3 * step));
        Vector512<float> r4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 4 * step));
        Vector512<float> r5 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 5 * step));
        Vector512<float> r6 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 6 * step));
        Vector512<float> r7 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 7 * step));
        Vector512<float> r8 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 8 * step));
        Vector512<float> r9 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 9 * step));
        Vector512<float> ra = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 10 * step));
        Vector512<float> rb = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 11 * step));
        Vector512<float> rc = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 12 * step));
        Vector512<float> rd = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 13 * step));
        Vector512<float> re = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 14 * step));
        Vector512<float> rf = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 15 * step));

        // Interleave pairs of rows, then pairs of pairs within each 128-bit lane, then the lanes themselves.
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> ta = Avx512F.UnpackLow(ra, rb), tb = Avx512F.UnpackHigh(ra, rb);
        Vector512<float> tc = Avx512F.UnpackLow(rc, rd), td = Avx512F.UnpackHigh(rc, rd);
        Vector512<float> te = Avx512F.UnpackLow(re, rf), tf = Avx512F.UnpackHigh(re, rf);

        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, ta, 0x44); r9 = Avx512F.Shuffle(t8, ta, 0xEE);
        ra = Avx512F.Shuffle(t9, tb, 0x44); rb = Avx512F.Shuffle(t9, tb, 0xEE);
        rc = Avx512F.Shuffle(tc, te, 0x44); rd = Avx512F.Shuffle(tc, te, 0xEE);
        re = Avx512F.Shuffle(td, tf, 0x44); rf = Avx512F.Shuffle(td, tf, 0xEE);

        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, rc, 0x88); t9 = Avx512F.Shuffle4x128(r9, rd, 0x88);
        ta = Avx512F.Shuffle4x128(ra, re, 0x88); tb = Avx512F.Shuffle4x128(rb, rf, 0x88);
        tc = Avx512F.Shuffle4x128(r8, rc, 0xDD); td = Avx512F.Shuffle4x128(r9, rd, 0xDD);
        te = Avx512F.Shuffle4x128(ra, re, 0xDD); tf = Avx512F.Shuffle4x128(rb, rf, 0xDD);

        nint s = stride;
        Avx512F.Shuffle4x128(t0, t8, 0x88).StoreUnsafe(ref target);
        Avx512F.Shuffle4x128(t1, t9, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, s));
        Avx512F.Shuffle4x128(t2, ta, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 2 * s));
        Avx512F.Shuffle4x128(t3, tb, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 3 * s));
        Avx512F.Shuffle4x128(t4, tc, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 4 * s));
        Avx512F.Shuffle4x128(t5, td, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 5 * s));
        Avx512F.Shuffle4x128(t6, te, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 6 * s));
        Avx512F.Shuffle4x128(t7, tf, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 7 * s));
        Avx512F.Shuffle4x128(t0, t8, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 8 * s));
        Avx512F.Shuffle4x128(t1, t9, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 9 * s));
        Avx512F.Shuffle4x128(t2, ta, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 10 * s));
        Avx512F.Shuffle4x128(t3, tb, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 11 * s));
        Avx512F.Shuffle4x128(t4, tc, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 12 * s));
        Avx512F.Shuffle4x128(t5, td, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 13 * s));
        Avx512F.Shuffle4x128(t6, te, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 14 * s));
        Avx512F.Shuffle4x128(t7, tf, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 15 * s));
    }

    /// <summary>As <see cref="Transpose16"/> for an 8×8 block of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(ref double source, int k, ref double target, int stride)
    {
        nint step = k;
        Vector512<double> r0 = Vector512.LoadUnsafe(ref source);
        Vector512<double> r1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, step));
        Vector512<double> r2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 2 * step));
        Vector512<double> r3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 3 * step));
        Vector512<double> r4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 4 * step));
        Vector512<double> r5 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 5 * step));
        Vector512<double> r6 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 6 * step));
        Vector512<double> r7 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 7 * step));

        Vector512<double> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<double> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<double> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<double> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);

        r0 = Avx512F.Shuffle4x128(t0, t2, 0x88); r1 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        r2 = Avx512F.Shuffle4x128(t0, t2, 0xDD); r3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        r4 = Avx512F.Shuffle4x128(t4, t6, 0x88); r5 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        r6 = Avx512F.Shuffle4x128(t4, t6, 0xDD); r7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);

        nint s = stride;
        Avx512F.Shuffle4x128(r0, r4, 0x88).StoreUnsafe(ref target);
        Avx512F.Shuffle4x128(r1, r5, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, s));
        Avx512F.Shuffle4x128(r2, r6, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 2 * s));
        Avx512F.Shuffle4x128(r3, r7, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 3 * s));
        Avx512F.Shuffle4x128(r0, r4, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 4 * s));
        Avx512F.Shuffle4x128(r1, r5, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 5 * s));
        Avx512F.Shuffle4x128(r2, r6, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 6 * s));
        Avx512F.Shuffle4x128(r3, r7, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 7 * s));
    }
}
