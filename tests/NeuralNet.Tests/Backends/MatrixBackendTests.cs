using System.Numerics;
using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// Every backend computes C = op(A)·op(B) + beta·C like a plain triple loop, the backends agree with each other, and
/// a product gives the same bits whatever thread runs it or however many threads share it.
/// </summary>
[Collection(BackendSettings.Name)]
public class MatrixBackendTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();

        // The training step's three products at batch 1, 32 and 128 for a 784 → 128 layer, plus odd sizes that leave
        // remainders in every blocking loop, one large enough to be split across threads, and a long inner dimension
        // that Aᵀ·B sums in several chunks.
        foreach ((int m, int n, int k) in new[] { (1, 128, 784), (32, 128, 784), (784, 128, 32), (32, 784, 128), (128, 128, 784), (1, 7, 3), (13, 11, 9), (67, 37, 5), (256, 512, 96), (9, 6, 2100) })
        {
            data.Add(m, n, k, false, false);
            data.Add(m, n, k, true, false);
            data.Add(m, n, k, false, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Managed_products_match_a_plain_triple_loop_in_double(int m, int n, int k, bool transposeA, bool transposeB)
        => ProductMatchesATripleLoopInDouble(MatrixBackend.Managed, m, n, k, transposeA, transposeB);

    [OpenBlasTheory]
    [MemberData(nameof(Shapes))]
    public void OpenBlas_products_match_a_plain_triple_loop_in_double(int m, int n, int k, bool transposeA, bool transposeB)
        => ProductMatchesATripleLoopInDouble(MatrixBackend.OpenBlas!, m, n, k, transposeA, transposeB);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Managed_products_match_a_plain_triple_loop_in_float_with_beta_zero(int m, int n, int k, bool transposeA, bool transposeB)
        => ProductMatchesATripleLoopInFloatWithBetaZero(MatrixBackend.Managed, m, n, k, transposeA, transposeB);

    [OpenBlasTheory]
    [MemberData(nameof(Shapes))]
    public void OpenBlas_products_match_a_plain_triple_loop_in_float_with_beta_zero(int m, int n, int k, bool transposeA, bool transposeB)
        => ProductMatchesATripleLoopInFloatWithBetaZero(MatrixBackend.OpenBlas!, m, n, k, transposeA, transposeB);

    [Theory]
    [InlineData(64, 100)]
    [InlineData(250, 784)]
    public void A_column_of_the_managed_product_has_the_same_bits_whichever_block_computes_it(int m, int k)
    {
        // Eight columns at once (the eight-column block) against the same columns four at a time (the four-column
        // block): each entry is one multiply-add chain over k in order either way.
        var random = new Random(m + k);
        float[] a = [.. Random(random, m * k).Select(x => (float)x)];
        float[] b = [.. Random(random, k * 8).Select(x => (float)x)];
        float[] together = new float[m * 8];
        MatrixBackend.Managed.Multiply(false, false, m, 8, k, a, b, 0f, together);

        for (int half = 0; half < 8; half += 4)
        {
            float[] four = new float[m * 4];
            MatrixBackend.Managed.Multiply(false, false, m, 4, k, a, b[(half * k)..((half + 4) * k)], 0f, four);
            four.Should().Equal(together[(half * m)..((half + 4) * m)]);
        }
    }

    [OpenBlasFact]
    public void The_backends_agree_with_each_other()
    {
        var random = new Random(5);
        double[] a = Random(random, 128 * 784);
        double[] b = Random(random, 784 * 128);
        double[] managed = new double[128 * 128];
        double[] native = new double[128 * 128];

        MatrixBackend.Managed.Multiply(false, false, 128, 128, 784, a, b, 0.0, managed);
        MatrixBackend.OpenBlas!.Multiply(false, false, 128, 128, 784, a, b, 0.0, native);

        for (int i = 0; i < managed.Length; i++)
        {
            managed[i].Should().BeApproximately(native[i], 1e-10 * (1 + Math.Abs(native[i])));
        }
    }

    [Fact]
    public void A_managed_product_gives_the_same_bits_from_many_threads_at_once()
        => AProductGivesTheSameBitsFromManyThreadsAtOnce(MatrixBackend.Managed);

    [OpenBlasFact]
    public void An_OpenBlas_product_gives_the_same_bits_from_many_threads_at_once()
        => AProductGivesTheSameBitsFromManyThreadsAtOnce(MatrixBackend.OpenBlas!);

    [Fact]
    public void The_managed_kernel_gives_the_same_bits_with_one_thread_or_two()
    {
        var random = new Random(3);
        double[] a = Random(random, 256 * 512);
        double[] b = Random(random, 512 * 256);
        double[] one = new double[256 * 256];
        double[] two = new double[256 * 256];
        int threads = MatrixBackend.ThreadCount;
        try
        {
            MatrixBackend.ThreadCount = 1;
            MatrixBackend.Managed.Multiply(false, false, 256, 256, 512, a, b, 0.0, one);
            MatrixBackend.ThreadCount = 2;
            MatrixBackend.Managed.Multiply(false, false, 256, 256, 512, a, b, 0.0, two);
        }
        finally
        {
            MatrixBackend.ThreadCount = threads;
        }

        two.Should().Equal(one);
    }

    [Fact]
    public void Using_NeuralNet_leaves_MathNets_own_provider_alone()
    {
        string before = MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider.ToString()!;

        _ = Network.Sequential(4).Dense(3).Build(NeuralNet.Losses.Loss.MeanSquaredError, seed: 1).Predict(MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(2, 4));

        MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider.ToString().Should().Be(before);
        MatrixBackend.Current.Name.Should().BeOneOf("managed", "openblas");
        MatrixBackend.Current.Description.Should().StartWith(MatrixBackend.Current.Name);
    }

    [Fact]
    public void Bad_settings_are_rejected()
    {
        Action threads = () => MatrixBackend.ThreadCount = 0;
        Action backend = () => MatrixBackend.Current = null!;

        threads.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*ThreadCount must be positive, but got 0*");
        backend.Should().Throw<ArgumentNullException>();
    }

    private static void ProductMatchesATripleLoopInDouble(MatrixBackend backend, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random((m * 31) + n + k);
        double[] a = Random(random, m * k);
        double[] b = Random(random, k * n);
        double[] c = Random(random, m * n);
        double[] expected = Reference(transposeA, transposeB, m, n, k, a, b, 1.0, c);

        backend.Multiply(transposeA, transposeB, m, n, k, a, b, 1.0, c);

        for (int i = 0; i < c.Length; i++)
        {
            c[i].Should().BeApproximately(expected[i], 1e-10 * (1 + Math.Abs(expected[i])));
        }
    }

    private static void ProductMatchesATripleLoopInFloatWithBetaZero(MatrixBackend backend, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random((m * 17) + n + k);
        float[] a = [.. Random(random, m * k).Select(x => (float)x)];
        float[] b = [.. Random(random, k * n).Select(x => (float)x)];

        // NaN in C must not leak through when beta is 0: the product overwrites C.
        float[] c = [.. Enumerable.Repeat(float.NaN, m * n)];
        double[] expected = Reference(transposeA, transposeB, m, n, k, [.. a.Select(x => (double)x)], [.. b.Select(x => (double)x)], 0.0, new double[m * n]);

        backend.Multiply(transposeA, transposeB, m, n, k, a, b, 0f, c);

        for (int i = 0; i < c.Length; i++)
        {
            ((double)c[i]).Should().BeApproximately(expected[i], 1e-4 * (1 + Math.Abs(expected[i])));
        }
    }

    private static void AProductGivesTheSameBitsFromManyThreadsAtOnce(MatrixBackend backend)
    {
        var random = new Random(9);
        float[] a = [.. Random(random, 256 * 512).Select(x => (float)x)];
        float[] b = [.. Random(random, 512 * 256).Select(x => (float)x)];
        float[] first = new float[256 * 256];
        backend.Multiply(false, false, 256, 256, 512, a, b, 0f, first);

        // Concurrent callers contend for the worker pool; whoever loses computes the same chunks itself.
        float[][] results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            results[t] = new float[256 * 256];
            backend.Multiply(false, false, 256, 256, 512, a, b, 0f, results[t]);
        });

        foreach (float[] result in results)
        {
            result.Should().Equal(first);
        }
    }

    private static double[] Random(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1)];

    /// <summary>The definition, one element at a time, with storage indices written out for each transposition.</summary>
    private static double[] Reference(bool transposeA, bool transposeB, int m, int n, int k, double[] a, double[] b, double beta, double[] c)
    {
        double[] result = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = transposeA ? a[(i * k) + p] : a[(p * m) + i];
                    double y = transposeB ? b[(p * n) + j] : b[(j * k) + p];
                    sum += x * y;
                }

                result[(j * m) + i] = sum + (beta * c[(j * m) + i]);
            }
        }

        return result;
    }
}
