namespace NeuralNet.Tests;

/// <summary>
/// The library's own generator: reproducibility per seed is what makes training runs repeatable, and the
/// distributions feed initialisers and shuffling. The statistical bounds are set several standard errors (or a
/// far chi-square quantile) out, noted at each, so a correct generator passes with any seed; the seeds are
/// fixed anyway, so the outcome is deterministic.
/// </summary>
public class RandomSourceTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var first = new RandomSource(12345);
        var second = new RandomSource(12345);

        for (int i = 0; i < 1000; i++)
        {
            second.NextUInt64().Should().Be(first.NextUInt64(), because: $"draw {i} comes from the same seed");
        }
    }

    [Fact]
    public void Every_kind_of_draw_is_reproducible_from_the_seed()
    {
        static List<double> Draws(long seed)
        {
            var random = new RandomSource(seed);
            var values = new List<double>();
            int[] order = [0, 1, 2, 3, 4, 5, 6, 7];
            for (int i = 0; i < 50; i++)
            {
                values.Add(random.NextDouble());
                values.Add(random.NextGaussian());
                values.Add(random.NextInt(17));
                random.Shuffle(order);
                values.AddRange(order.Select(v => (double)v));
            }

            return values;
        }

        Draws(-7).Should().Equal(Draws(-7));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NextInt_refuses_an_empty_range(int maxExclusive)
    {
        Action draw = () => new RandomSource(1).NextInt(maxExclusive);

        draw.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(maxExclusive)).WithMessage($"*must be positive, but got {maxExclusive}*");
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 2L)]
    [InlineData(0L, -1L)]
    [InlineData(long.MaxValue, long.MinValue)]
    public void Different_seeds_give_different_sequences(long seedA, long seedB)
    {
        var a = new RandomSource(seedA);
        var b = new RandomSource(seedB);

        ulong[] fromA = [.. Enumerable.Range(0, 64).Select(_ => a.NextUInt64())];
        ulong[] fromB = [.. Enumerable.Range(0, 64).Select(_ => b.NextUInt64())];

        // 64-bit outputs of unrelated streams collide with probability ~2^-58 per pair.
        fromA.Intersect(fromB).Should().BeEmpty();
    }

    [Fact]
    public void Seed_zero_is_not_a_degenerate_state()
    {
        // xoshiro's all-zero state would emit zeros for ever; SplitMix must spread seed 0 away from it.
        var random = new RandomSource(0);

        ulong[] draws = [.. Enumerable.Range(0, 100).Select(_ => random.NextUInt64())];

        draws.Should().OnlyHaveUniqueItems();
        draws.Should().NotContain(0UL);
    }

    [Fact]
    public void Restoring_the_state_replays_the_sequence()
    {
        var random = new RandomSource(99);
        _ = random.NextDouble();
        (ulong, ulong, ulong, ulong) saved = random.State;
        double[] expected = [.. Enumerable.Range(0, 20).Select(_ => random.NextDouble())];

        random.State = saved;

        Enumerable.Range(0, 20).Select(_ => random.NextDouble()).Should().Equal(expected);
    }

    [Fact]
    public void NextDouble_lies_in_the_unit_interval_with_mean_one_half_and_variance_one_twelfth()
    {
        const int n = 200_000;
        var random = new RandomSource(2024);

        double[] u = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())];

        u.Should().OnlyContain(v => v >= 0 && v < 1);
        double mean = u.Average();
        // SE of the mean of U(0,1) is √(1/12)/√n ≈ 0.00065; 0.005 is ~8 SE.
        mean.Should().BeApproximately(0.5, 0.005);
        // Var((U − ½)²) = 1/80 − 1/144 = 1/180, so the variance estimate has SE √(1/180)/√n ≈ 0.00017; 0.002 is ~12 SE.
        u.Sum(v => (v - mean) * (v - mean) / (n - 1)).Should().BeApproximately(1.0 / 12, 0.002);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1_000_003)]
    [InlineData(int.MaxValue)]
    public void NextInt_stays_in_range(int maxExclusive)
    {
        var random = new RandomSource(maxExclusive);

        for (int i = 0; i < 10_000; i++)
        {
            random.NextInt(maxExclusive).Should().BeInRange(0, maxExclusive - 1);
        }
    }

    [Fact]
    public void NextInt_reaches_both_ends_of_a_large_range()
    {
        // 1000 draws miss a quarter of the range with probability 0.75^1000: a draw confined to a sub-range
        // (say, one that lost its high bits) would miss the top or the bottom quarter.
        var random = new RandomSource(5);
        int[] draws = [.. Enumerable.Range(0, 1000).Select(_ => random.NextInt(int.MaxValue))];

        draws.Should().Contain(v => v < int.MaxValue / 4);
        draws.Should().Contain(v => v > int.MaxValue / 4 * 3);
    }

    // Pearson's statistic is chi-square with k − 1 degrees of freedom under uniformity. The bound is its upper
    // 1e-6 quantile by the Wilson–Hilferty approximation (slightly conservative for small k), so only a biased
    // generator exceeds it; one that never returned some value fails the count check first.
    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(64)]
    public void NextInt_is_roughly_uniform(int k)
    {
        const int n = 70_000;
        var random = new RandomSource(1000 + k);
        var counts = new int[k];

        for (int i = 0; i < n; i++)
        {
            counts[random.NextInt(k)]++;
        }

        double expected = (double)n / k;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        double bound = ChiSquareQuantile(k - 1, z: 4.75); // z = 4.75 is the standard normal's 1e-6 upper quantile
        counts.Should().OnlyContain(c => c > 0);
        chiSquare.Should().BeLessThan(bound);
    }

    [Fact]
    public void Shuffle_returns_a_permutation_of_its_input()
    {
        var random = new RandomSource(31);
        int[] values = [.. Enumerable.Range(0, 100).Select(i => i * 3)];

        random.Shuffle(values);

        values.Should().BeEquivalentTo(Enumerable.Range(0, 100).Select(i => i * 3));
        // 100! orderings: coming back in order means nothing was moved.
        values.Should().NotBeInAscendingOrder();
    }

    [Fact]
    public void Shuffle_of_an_empty_or_single_span_changes_nothing()
    {
        var random = new RandomSource(32);
        int[] empty = [];
        int[] single = [42];

        random.Shuffle(empty);
        random.Shuffle(single);

        single.Should().Equal(42);
    }

    // All 3! = 6 orders of three items must come out about equally often. A classic Fisher–Yates slip
    // (drawing j from the whole range instead of [0, i]) gives 27 equally likely paths over 6 orders, which
    // cannot be uniform. Chi-square with 5 degrees of freedom: the bound 25 has p ≈ 1.4e-4.
    [Fact]
    public void Shuffle_makes_every_order_equally_likely()
    {
        const int n = 60_000;
        var random = new RandomSource(33);
        var counts = new Dictionary<string, int>();

        for (int i = 0; i < n; i++)
        {
            int[] items = [0, 1, 2];
            random.Shuffle(items);
            string key = string.Concat(items);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        counts.Keys.Should().BeEquivalentTo(["012", "021", "102", "120", "201", "210"]);
        double expected = n / 6.0;
        counts.Values.Sum(c => (c - expected) * (c - expected) / expected).Should().BeLessThan(25);
    }

    [Fact]
    public void NextGaussian_has_mean_zero_and_standard_deviation_one()
    {
        const int n = 200_000;
        var random = new RandomSource(4242);

        double[] g = [.. Enumerable.Range(0, n).Select(_ => random.NextGaussian())];

        g.Should().OnlyContain(v => double.IsFinite(v));
        double mean = g.Average();
        double sd = Math.Sqrt(g.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        // SE of the mean is 1/√n ≈ 0.0022 and of the sd ≈ 1/√(2n) ≈ 0.0016; 0.015 is ~7 and ~9 SE.
        mean.Should().BeApproximately(0, 0.015);
        sd.Should().BeApproximately(1, 0.015);
        // The shape, not only the moments: P(|Z| < 1) = 0.6827 and P(|Z| < 2) = 0.9545; SEs ≈ 0.001 and 0.0005.
        (g.Count(v => Math.Abs(v) < 1) / (double)n).Should().BeApproximately(0.6827, 0.007);
        (g.Count(v => Math.Abs(v) < 2) / (double)n).Should().BeApproximately(0.9545, 0.004);
    }

    /// <summary>Wilson–Hilferty: (χ²_ν / ν)^(1/3) is about normal with mean 1 − 2/(9ν) and variance 2/(9ν).</summary>
    private static double ChiSquareQuantile(int degreesOfFreedom, double z)
    {
        double v = 2.0 / (9 * degreesOfFreedom);
        return degreesOfFreedom * Math.Pow(1 - v + (z * Math.Sqrt(v)), 3);
    }
}
