using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// Packing for the managed backend's micro-kernels: a block of op(A) is copied into panels of
/// <c>panelRows</c> rows, each panel laid out step of p after step of p with its rows contiguous, so that the
/// kernel reads one cache line after the next. The last panel is padded with zeros: the kernel always computes whole
/// panels and stores only the real rows.
/// </summary>
internal static class ManagedPacking
{
    /// <summary>How many columns ahead the copy of an untransposed A prefetches.</summary>
    private const int Ahead = 4;

    /// <summary>
    /// Packs rows [<paramref name="rowStart"/>, + <paramref name="rows"/>) and steps [<paramref name="p0"/>,
    /// + <paramref name="kc"/>) of op(A) into <paramref name="target"/>: panel t at t·kc·panelRows, element (r, p) at
    /// p·panelRows + r. op(A)(i, p) is a[p·m + i], or a[i·k + p] when <paramref name="transposed"/> (A stored k×m).
    /// </summary>
    /// <remarks>With <paramref name="partialOnly"/> (an untransposed A that the kernel reads in place) only a last, partial panel is packed.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackA<T>(bool transposed, T[] a, int m, int k, int rowStart, int rows, int p0, int kc, int panelRows, T[] target, bool partialOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T source = ref MemoryMarshal.GetArrayDataReference(a);
        ref T packed = ref MemoryMarshal.GetArrayDataReference(target);
        int full = rows / panelRows;
        if (!transposed && full > 0 && !partialOnly)
        {
            // Column by column across all the block's whole panels: each column of the block is one contiguous run
            // read once, rather than one short run per panel, which for a tall A (8000 rows) misses cache every time.
            CopyColumns(ref Unsafe.Add(ref source, ((nint)p0 * m) + rowStart), m, k - p0, kc, full, panelRows, ref packed);
        }

        for (int t = transposed ? 0 : full; t * panelRows < rows; t++)
        {
            int first = rowStart + (t * panelRows);
            int count = Math.Min(panelRows, rows - (t * panelRows));
            ref T panel = ref Unsafe.Add(ref packed, t * kc * panelRows);
            if (transposed)
            {
                ManagedTranspose.Pack(ref Unsafe.Add(ref source, ((nint)first * k) + p0), k, k - p0, count, kc, panelRows, ref panel);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    ref T column = ref Unsafe.Add(ref source, ((nint)(p0 + p) * m) + first);
                    ref T step = ref Unsafe.Add(ref panel, p * panelRows);
                    for (int r = 0; r < panelRows; r++)
                    {
                        Unsafe.Add(ref step, r) = r < count ? Unsafe.Add(ref column, r) : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="panels"/> whole panels of untransposed A: <paramref name="panelRows"/> contiguous values per
    /// panel from each of <paramref name="kc"/> columns.
    /// </summary>
    /// <remarks><paramref name="columns"/> columns of A start at <paramref name="source"/>: the prefetch never reaches past them.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyColumns<T>(ref T source, int m, int columns, int kc, int panels, int panelRows, ref T packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint panelSize = (nint)kc * panelRows;
        if (Vector512.IsHardwareAccelerated && panelRows == 2 * Vector512<T>.Count)
        {
            nuint width = (nuint)Vector512<T>.Count;
            for (int p = 0; p < kc; p++)
            {
                ref T column = ref Unsafe.Add(ref source, (nint)p * m);
                ref T step = ref Unsafe.Add(ref packed, p * panelRows);
                if (p + Ahead < columns)
                {
                    // The same rows of the column Ahead columns on, one line per vector: each column's run is its own stream.
                    ref T later = ref Unsafe.Add(ref column, (nint)Ahead * m);
                    for (int t = 0; t < panels; t++)
                    {
                        ManagedPrefetch.Line(ref Unsafe.Add(ref later, t * panelRows));
                        ManagedPrefetch.Line(ref Unsafe.Add(ref later, (t * panelRows) + (int)width));
                    }
                }

                for (int t = 0; t < panels; t++)
                {
                    ref T from = ref Unsafe.Add(ref column, t * panelRows);
                    ref T to = ref Unsafe.Add(ref step, t * panelSize);
                    Vector512.LoadUnsafe(ref from).StoreUnsafe(ref to);
                    Vector512.LoadUnsafe(ref from, width).StoreUnsafe(ref to, width);
                }
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                ref T column = ref Unsafe.Add(ref source, (nint)p * m);
                ref T step = ref Unsafe.Add(ref packed, p * panelRows);
                for (int t = 0; t < panels; t++)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref column, t * panelRows), panelRows)
                        .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref step, t * panelSize), panelRows));
                }
            }
        }
    }
}
