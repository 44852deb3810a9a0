using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Internal;

/// <summary>
/// Sums and dot products whose order of addition depends only on the length. Library reductions may align their
/// loads to the memory address, which moves elements between lanes from one allocation to the next and changes
/// the rounding; training must give bit-identical results run after run, so the engine reduces here instead.
/// </summary>
internal static class Reduce
{
    public static T Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int i = 0;
        T total = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * width)
        {
            ref T start = ref MemoryMarshal.GetReference(x);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
            for (; i + (2 * width) <= x.Length; i += 2 * width)
            {
                s0 += Vector.LoadUnsafe(ref Unsafe.Add(ref start, i));
                s1 += Vector.LoadUnsafe(ref Unsafe.Add(ref start, i + width));
            }

            total = Vector.Sum(s0 + s1);
        }

        for (; i < x.Length; i++)
        {
            total += x[i];
        }

        return total;
    }

    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int i = 0;
        T total = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * width)
        {
            ref T rx = ref MemoryMarshal.GetReference(x);
            ref T ry = ref MemoryMarshal.GetReference(y);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
            for (; i + (2 * width) <= x.Length; i += 2 * width)
            {
                s0 += Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i)) * Vector.LoadUnsafe(ref Unsafe.Add(ref ry, i));
                s1 += Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i + width)) * Vector.LoadUnsafe(ref Unsafe.Add(ref ry, i + width));
            }

            total = Vector.Sum(s0 + s1);
        }

        for (; i < x.Length; i++)
        {
            total += x[i] * y[i];
        }

        return total;
    }
}
