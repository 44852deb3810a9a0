using System.Numerics;
using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// The managed kernel on shapes that leave a remainder in every loop of its blocking (panels of rows, tiles of 8, 4,
/// 2 and 1 columns, blocks of k, transposed blocks of 16), in float and double, for every transposition, beta 0 and 1
/// and 1, 2 or 3 threads: it matches the definition, gives the same bits on every run and for every thread count, and
/// allocates nothing once warm.
/// </summary>
[Collection(BackendSettings.Name)]
public class ManagedBackendTests
{
    private static readonly (int M, int N, int K)[] EdgeShapes =
    [
        (2, 1, 1), (3, 2, 5), (17, 3, 1), (31, 10, 7), (33, 9, 17), (47, 13, 33), (64, 10, 128), (100, 19, 401),
        (129, 12, 65), (784, 10, 3), (200, 130, 850), (40, 260, 90),
    ];

    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach ((int m, int n, int k) in EdgeShapes)
        {
            foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                data.Add(m, n, k, ta, tb);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_products_match_the_definition_for_any_thread_count_and_beta(int m, int n, int k, bool transposeA, bool transposeB)
        => MatchesTheDefinition<float>(m, n, k, transposeA, transposeB, 1e-4);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_products_match_the_definition_for_any_thread_count_and_beta(int m, int n, int k, bool transposeA, bool transposeB)
        => MatchesTheDefinition<double>(m, n, k, transposeA, transposeB, 1e-12);

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Beta_scales_C_before_the_product_is_added_and_a_product_over_nothing_leaves_beta_C(double beta)
    {
        var random = new Random(11);
        double[] a = Values<double>(random, 40 * 30);
        double[] b = Values<double>(random, 30 * 9);
        double[] start = Values<double>(random, 40 * 9);
        double[] product = new double[40 * 9];
        MatrixBackend.Managed.Multiply(false, false, 40, 9, 30, a, b, 0.0, product);
        double[] c = [.. start];

        // C holds NaN where beta = 0: it must be overwritten, not scaled.
        double[] nothing = beta == 0 ? [.. Enumerable.Repeat(double.NaN, 40 * 9)] : [.. start];

        MatrixBackend.Managed.Multiply(false, false, 40, 9, 30, a, b, beta, c);
        MatrixBackend.Managed.Multiply(false, false, 40, 9, 0, a, b, beta, nothing);

        for (int i = 0; i < c.Length; i++)
        {
            c[i].Should().BeApproximately((beta * start[i]) + product[i], 1e-12);
            nothing[i].Should().Be(beta * start[i]);
        }
    }

    [Theory]
    [InlineData(32, 128, 784, false, false)]
    [InlineData(784, 128, 32, true, false)]
    [InlineData(32, 784, 128, false, true)]
    [InlineData(8000, 10, 128, false, false)]
    [InlineData(784, 128, 1000, true, false)]
    [InlineData(130, 70, 900, true, true)]
    public void Every_thread_count_and_every_run_give_the_same_bits(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + n + k);
        float[] a = Values<float>(random, m * k);
        float[] b = Values<float>(random, k * n);
        float[] start = Values<float>(random, m * n);
        float[]? first = null;
        WithThreads(threads =>
        {
            for (int run = 0; run < 2; run++)
            {
                float[] c = [.. start];
                MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, a, b, 1f, c);
                first ??= c;
                c.Should().Equal(first, $"a run with {threads} thread(s) must give the bits of the first run");
            }
        });
    }

    [Theory]
    [InlineData(32, 128, 784, false, false)]
    [InlineData(784, 128, 128, true, false)]
    [InlineData(128, 784, 128, false, true)]
    [InlineData(1, 128, 784, false, false)]
    public void A_warm_product_allocates_nothing(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(7);
        float[] a = Values<float>(random, m * k);
        float[] b = Values<float>(random, k * n);
        float[] c = new float[m * n];
        double[] ad = Values<double>(random, m * k);
        double[] bd = Values<double>(random, k * n);
        double[] cd = new double[m * n];
        WithThreads(threads =>
        {
            MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, a, b, 0f, c);
            MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, ad, bd, 0.0, cd);

            // The runtime may allocate once in a while on its own (tiered compilation replacing a method); an allocation
            // per call shows in every window of calls, so the quietest of three windows must be empty.
            long fewest = long.MaxValue;
            for (int window = 0; window < 3; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 10; i++)
                {
                    MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, a, b, 1f, c);
                    MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, ad, bd, 1.0, cd);
                }

                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            fewest.Should().Be(0, $"a warm product on {threads} thread(s) reuses its buffers");
        });
    }

    [Theory]
    [InlineData(1, false, 8000, 128, 784, 1, false)]
    [InlineData(2, false, 32, 128, 784, 8, false)]
    [InlineData(2, false, 32, 784, 128, 8, false)]
    [InlineData(2, true, 784, 128, 32, 8, true)]
    [InlineData(3, true, 784, 128, 128, 12, true)]
    [InlineData(2, false, 8000, 10, 128, 8, true)]
    [InlineData(2, false, 8000, 128, 784, 8, true)]
    [InlineData(2, false, 32, 10, 128, 1, false)]
    [InlineData(2, false, 32, 12, 8000, 1, false)]
    public void Products_split_into_a_few_chunks_per_thread_by_rows_when_A_is_packed_and_stay_whole_when_small(int threads, bool transposeA, int m, int n, int k, int chunks, bool byRows)
        => ManagedBackend.Partition<float>(threads, transposeA, m, n, k).Should().Be((chunks, byRows));

    private static void MatchesTheDefinition<T>(int m, int n, int k, bool transposeA, bool transposeB, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((m * 31) + (n * 7) + k + (transposeA ? 1 : 0) + (transposeB ? 2 : 0));
        T[] a = Values<T>(random, m * k);
        T[] b = Values<T>(random, k * n);
        T[] start = Values<T>(random, m * n);
        WithThreads(threads =>
        {
            foreach (T beta in new[] { T.Zero, T.One })
            {
                // With beta = 0, C's old contents (NaN here) must not leak into the product.
                T[] c = beta == T.Zero ? [.. Enumerable.Repeat(T.NaN, m * n)] : [.. start];
                MatrixBackend.Managed.Multiply(transposeA, transposeB, m, n, k, a, b, beta, c);

                for (int j = 0; j < n; j++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        double sum = beta == T.Zero ? 0 : double.CreateTruncating(start[(j * m) + i]);
                        double scale = Math.Abs(sum);
                        for (int p = 0; p < k; p++)
                        {
                            double term = double.CreateTruncating(transposeA ? a[(i * k) + p] : a[(p * m) + i]) * double.CreateTruncating(transposeB ? b[(p * n) + j] : b[(j * k) + p]);
                            sum += term;
                            scale += Math.Abs(term);
                        }

                        double.CreateTruncating(c[(j * m) + i]).Should().BeApproximately(sum, tolerance * (1 + scale), $"C({i}, {j}) with beta {beta} on {threads} thread(s)");
                    }
                }
            }
        });
    }

    /// <summary>Runs <paramref name="test"/> with the managed backend on 1, 2 and 3 threads, then restores the setting.</summary>
    private static void WithThreads(Action<int> test)
    {
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                MatrixBackend.Managed.ApplyThreadCount(threads);
                test(threads);
            }
        }
        finally
        {
            MatrixBackend.Managed.ApplyThreadCount(MatrixBackend.ThreadCount);
        }
    }

    private static T[] Values<T>(Random random, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, length).Select(_ => T.CreateTruncating((random.NextDouble() * 2) - 1))];
}
