using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Backends;

/// <summary>
/// The managed backend's general product, blocked like BLIS: k in blocks of at most <see cref="DepthBytes"/> bytes
/// per row, rows of C in blocks whose packed slice of op(A) stays in L2 (<see cref="ManagedPacking"/>), then tiles of
/// C computed by a micro-kernel (<see cref="ManagedKernel512"/>, or <see cref="ManagedKernelVector"/> where 512-bit
/// vectors are not accelerated) that reads B in place.
/// </summary>
/// <remarks>
/// The block of k depends on k alone, and every element of C is summed over each block by one multiply-add chain
/// whatever tile computes it: a product split between threads, by rows or by columns, gives the same bits as on one.
/// The methods here and in the packing are fully optimised from their first call: a path first taken late in a
/// training run (the whole training set's forward pass, say) would otherwise run unoptimised code for a while.
/// </remarks>
internal static class ManagedGemm
{
    /// <summary>
    /// Bytes of one row of a block of k: a micro-panel of B (eight columns of it) then takes at most 12 KiB, a third
    /// of L1, and k = 784 (the reference MLP's input) runs in two even blocks of 392 floats.
    /// </summary>
    private const int DepthBytes = 1600;

    /// <summary>Bytes of one packed column of a block of rows: 256 floats, so a block of A (at most 400 KiB) stays in L2.</summary>
    private const int RowBlockBytes = 1024;

    /// <summary>At most this many columns of C, an untransposed A is read in place (see <see cref="Compute{T}"/>).</summary>
    private const int InPlaceColumns = 16;

    /// <summary>At most this many panels of rows, an untransposed A is read in place.</summary>
    private const int InPlaceRows = 4;

    /// <summary>Rows of one packed panel of A: two vectors of the micro-kernel in use.</summary>
    internal static int PanelRows<T>()
        where T : unmanaged
        => Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : 2 * Vector<T>.Count;

    /// <summary>
    /// Whether the kernel reads A where it is rather than packed. An untransposed A is already panels of contiguous
    /// rows, one column after the next: packing pays only with many tiles of columns (each reads every panel) and
    /// many rows (a short A is nearly packed already). Only a last, partial panel is still packed, padded with zeros.
    /// A product over k = 1 counts as untransposed (see <see cref="Compute{T}"/>).
    /// </summary>
    internal static bool ReadsAInPlace<T>(bool transposeA, int m, int n, int k)
        where T : unmanaged
        => (!transposeA || k == 1) && (n <= InPlaceColumns || m <= InPlaceRows * PanelRows<T>());

    /// <summary>The length of each block of k: as even as possible, each at most <see cref="DepthBytes"/> bytes.</summary>
    internal static int DepthBlock<T>(int k)
        where T : unmanaged
    {
        int most = DepthBytes / Unsafe.SizeOf<T>();
        int blocks = (k + most - 1) / most;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) × columns [<paramref name="columnStart"/>,
    /// <paramref name="columnEnd"/>) of C = op(A)·op(B) + beta·C (the arguments of <see cref="MatrixBackend.Multiply{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c, int rowStart, int rowEnd, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((beta != T.Zero && beta != T.One) || k == 0)
        {
            // Scale C once, then accumulate into it; a product over nothing leaves beta·C (zero, whatever C held, for beta = 0).
            for (int j = columnStart; j < columnEnd; j++)
            {
                Span<T> column = c.AsSpan((j * m) + rowStart, rowEnd - rowStart);
                if (beta == T.Zero)
                {
                    column.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(column, beta, column);
                }
            }

            if (k == 0)
            {
                return;
            }

            beta = T.One;
        }

        // A product of one row of A and B is the same in either storage, whichever transposition was asked for.
        if (k == 1)
        {
            (transposeA, transposeB) = (false, false);
        }

        int panelRows = PanelRows<T>();

        bool inPlace = ReadsAInPlace<T>(transposeA, m, n, k);
        int depth = DepthBlock<T>(k);
        int rowBlock = Math.Max(panelRows, RowBlockBytes / Unsafe.SizeOf<T>() / panelRows * panelRows);
        T[] packed = ManagedPackBuffer<T>.Get(rowBlock * depth);

        // B(p, j) = b[p·rowStep + j·columnStep]: stored k×n, or n×k when transposed.
        int rowStep = transposeB ? n : 1;
        int columnStep = transposeB ? 1 : k;
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        for (int p0 = 0; p0 < k; p0 += depth)
        {
            int kc = Math.Min(depth, k - p0);
            bool overwrite = p0 == 0 && beta == T.Zero;
            for (int i0 = rowStart; i0 < rowEnd; i0 += rowBlock)
            {
                int rows = Math.Min(rowBlock, rowEnd - i0);
                ManagedPacking.PackA(transposeA, a, m, k, i0, rows, p0, kc, panelRows, packed, inPlace);
                ref T aBlock = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), ((nint)p0 * m) + i0);
                ref T bBlock = ref Unsafe.Add(ref rb, (nint)p0 * rowStep);
                ref T cBlock = ref Unsafe.Add(ref rc, i0);
                Tiles(kc, packed, inPlace, ref aBlock, rows, panelRows, ref bBlock, rowStep, columnStep, ref cBlock, m, columnStart, columnEnd, overwrite);
            }
        }
    }

    /// <summary>
    /// Every tile of one packed block of rows: a micro-panel of B (a few columns) is read by every panel of A in turn,
    /// from L1. A last panel with fewer real rows is computed whole into a scratch tile, and only its real rows reach C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void Tiles<T>(int kc, T[] packed, bool inPlace, ref T a, int rows, int panelRows, ref T b, int rowStep, int columnStep, ref T c, int ldc, int columnStart, int columnEnd, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wide = Vector512.IsHardwareAccelerated;
        int widest = wide ? ManagedKernel512.Columns : ManagedKernelVector.Columns;
        Span<T> scratch = stackalloc T[panelRows * widest];
        ref T tile = ref MemoryMarshal.GetReference(scratch);
        ref T pa = ref MemoryMarshal.GetArrayDataReference(packed);
        int panelSize = kc * panelRows;
        for (int j = columnStart; j < columnEnd;)
        {
            int left = columnEnd - j;
            int columns = left >= widest ? widest : left >= 4 ? 4 : left >= 2 && wide ? 2 : 1;
            ref T bj = ref Unsafe.Add(ref b, (nint)j * columnStep);
            ref T cj = ref Unsafe.Add(ref c, (nint)j * ldc);
            for (int i = 0, t = 0; i < rows; i += panelRows, t++)
            {
                bool whole = rows - i >= panelRows;
                ref T panel = ref inPlace && whole ? ref Unsafe.Add(ref a, i) : ref Unsafe.Add(ref pa, t * panelSize);
                nint stride = inPlace && whole ? ldc : panelRows;
                if (whole)
                {
                    Tile(wide, columns, kc, ref panel, stride, ref bj, rowStep, columnStep, ref Unsafe.Add(ref cj, i), ldc, overwrite);
                }
                else
                {
                    Tile(wide, columns, kc, ref panel, stride, ref bj, rowStep, columnStep, ref tile, panelRows, overwrite: true);
                    Merge(ref tile, panelRows, rows - i, columns, ref Unsafe.Add(ref cj, i), ldc, overwrite);
                }
            }

            j += columns;
        }
    }

    /// <summary>One tile of <paramref name="columns"/> (the widest kernel's, 4, 2 on AVX-512, or 1) columns of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<T>(bool wide, int columns, int kc, ref T a, nint aStride, ref T b, int rowStep, int columnStep, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (wide)
        {
            if (columns == ManagedKernel512.Columns)
            {
                ManagedKernel512.Tile8(kc, ref a, aStride, ref b, rowStep, columnStep, ref c, ldc, overwrite);
            }
            else if (columns == 4)
            {
                ManagedKernel512.Tile4(kc, ref a, aStride, ref b, rowStep, columnStep, ref c, ldc, overwrite);
            }
            else if (columns == 2)
            {
                ManagedKernel512.Tile2(kc, ref a, aStride, ref b, rowStep, columnStep, ref c, ldc, overwrite);
            }
            else
            {
                ManagedKernel512.Tile1(kc, ref a, aStride, ref b, rowStep, ref c, overwrite);
            }
        }
        else if (columns == ManagedKernelVector.Columns)
        {
            ManagedKernelVector.Tile4(kc, ref a, aStride, ref b, rowStep, columnStep, ref c, ldc, overwrite);
        }
        else
        {
            ManagedKernelVector.Tile1(kc, ref a, aStride, ref b, rowStep, ref c, overwrite);
        }
    }

    /// <summary>Adds (or writes) the first <paramref name="rows"/> rows of a scratch tile into C, as the kernels' own store does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Merge<T>(ref T tile, int panelRows, int rows, int columns, ref T c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jj = 0; jj < columns; jj++)
        {
            for (int r = 0; r < rows; r++)
            {
                T value = Unsafe.Add(ref tile, (jj * panelRows) + r);
                ref T target = ref Unsafe.Add(ref c, ((nint)jj * ldc) + r);
                target = overwrite ? value : value + target;
            }
        }
    }
}
