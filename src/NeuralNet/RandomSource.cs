using System.Numerics;

namespace NeuralNet;

/// <summary>
/// A seeded xoshiro256** generator: the one source of randomness in NeuralNet (initial weights, shuffling, and
/// whatever a layer draws in training mode). Its sequence is fixed by this code alone, never by the .NET version,
/// and its state travels with training checkpoints, so a seeded run is reproducible bit for bit and resumes exactly.
/// </summary>
/// <remarks>
/// Custom initialisers and layers draw from the instance they are handed. An instance is not thread-safe.
/// </remarks>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose sequence is determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value, 0 included; equal seeds give equal sequences.</param>
    public RandomSource(long seed)
    {
        // SplitMix64 spreads any seed, 0 included, over the four state words. Its output function is a bijection of
        // a counter that moves on by an odd constant, so four consecutive outputs are never all zero.
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The four state words, for checkpoints. All zero is refused: xoshiro256** never leaves that state, and would draw zeros forever.</summary>
    /// <exception cref="ArgumentException">The state is all zero.</exception>
    internal (ulong, ulong, ulong, ulong) State
    {
        get => (_s0, _s1, _s2, _s3);
        set
        {
            if (value == (0, 0, 0, 0))
            {
                throw new ArgumentException("A xoshiro256** state may not be all zero: the generator would draw 0 forever.", nameof(value));
            }

            (_s0, _s1, _s2, _s3) = value;
        }
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>A value in [0, 1).</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    /// <param name="maxExclusive">The exclusive upper bound, positive.</param>
    /// <returns>A value in [0, <paramref name="maxExclusive"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        Internal.Guard.Positive(maxExclusive, nameof(maxExclusive));
        uint bound = (uint)maxExclusive;
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            // Each draw is rejected with probability below 1/2; a thousand rejections in a row mean a broken generator,
            // and the loop must end on any state.
            uint threshold = (0u - bound) % bound;
            for (int rejected = 0; low < threshold; rejected++)
            {
                if (rejected == 1000)
                {
                    throw new InvalidOperationException("The generator rejected 1,000 draws in a row; its state is broken.");
                }

                product = (ulong)(uint)(NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>A standard normal sample (Box–Muller; one draw of the pair is used so no hidden state is kept).</summary>
    /// <returns>A sample of N(0, 1).</returns>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: the log never sees 0
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates), every order equally likely.</summary>
    /// <param name="values">The values to shuffle.</param>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
