using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Backends;

/// <summary>
/// Packing of a transposed A (Aᵀ·B, the weight gradient): panel rows are A's stored columns, each contiguous over
/// p, and the panel wants them interleaved, so a block is transposed on the way.
/// </summary>
internal static class ManagedTranspose
{
    /// <summary>
    /// Writes rows r &lt; <paramref name="count"/> of a panel, row r read from <paramref name="source"/>[r·<paramref name="k"/> + p],
    /// into <paramref name="panel"/>[p·<paramref name="panelRows"/> + r] for p &lt; <paramref name="kc"/>; rows from
    /// <paramref name="count"/> to <paramref name="panelRows"/> are zero.
    /// </summary>
    internal static void Pack<T>(ref T source, int k, int count, int kc, int panelRows, ref T panel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < panelRows; r++)
        {
            ref T row = ref Unsafe.Add(ref panel, r);
            if (r < count)
            {
                ref T column = ref Unsafe.Add(ref source, (nint)r * k);
                for (int p = 0; p < kc; p++)
                {
                    Unsafe.Add(ref row, p * panelRows) = Unsafe.Add(ref column, p);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    Unsafe.Add(ref row, p * panelRows) = T.Zero;
                }
            }
        }
    }
}
