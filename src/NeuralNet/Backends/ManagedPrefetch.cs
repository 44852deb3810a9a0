using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Backends;

/// <summary>
/// Software prefetch for the managed backend's packing: a block of a large A is read as dozens of short runs far
/// apart in memory (the rows of a transposed A, the columns of a tall one), too many streams for the hardware
/// prefetchers, so the packing asks for the lines it will read a few steps later.
/// </summary>
internal static unsafe class ManagedPrefetch
{
    /// <summary>Starts loading the cache line holding <paramref name="address"/>; a no-op where there is no prefetch instruction.</summary>
    /// <remarks>A prefetch never faults, and one that the garbage collector makes stale by moving the array only wastes a load.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line<T>(ref T address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref address));
        }
    }
}
