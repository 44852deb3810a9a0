using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Backends;

/// <summary>
/// The check a native library passes before NeuralNet trusts it: a few products in float and double, every
/// transposition NeuralNet uses (A·B, Aᵀ·B, A·Bᵀ), overwriting and accumulating, on odd sizes that leave remainders in
/// every blocking loop and on one large enough for a library's general (not small-matrix) path, each compared with a
/// managed reference: the definition of the product, summed in double.
/// </summary>
/// <remarks>
/// <para>
/// The reference is a plain loop rather than the managed kernel: it is independent of both kernels, and it keeps the
/// check to about 5 ms (measured on a 2-core AMD EPYC; about 15 ms more the first time, compiling it), where the
/// managed kernel's vectorised paths would first have to be compiled for both types (about 0.1 s more) in a process
/// that may never run them.
/// </para>
/// <para>
/// A library sums in its own order, so it may differ from the reference by rounding: each entry may differ by at most
/// 2·(k + 1)·ε times the size of its terms, <c>Σ_p |a_ip·b_pj| + |beta·c_ij|</c> (ε the type's machine epsilon), four
/// times the classical bound for one summation order. A wrong or missing term costs about 1/k of that size, a hundred
/// times more at these sizes; NaN in C with beta = 0 must be overwritten, not propagated.
/// </para>
/// </remarks>
internal static class NativeProof
{
    /// <summary>
    /// (m, n, k) of the products checked: odd sizes, small ones that OpenBLAS's SkylakeX build hands to its small-matrix
    /// kernels, and one past the 100³ multiply-adds where those stop and its general, packing path takes over.
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes = [(37, 129, 65), (130, 67, 129), (5, 3, 2)];

    /// <summary>
    /// Null when <paramref name="candidate"/> agrees with the managed reference on every checked product, otherwise one
    /// line saying where it disagreed, by how much, or how its product failed.
    /// </summary>
    public static string? Disagreement(MatrixBackend candidate)
    {
        var random = new Random(20240611);
        foreach ((int m, int n, int k) in Shapes)
        {
            // One product per shape, stored three ways: the reference is computed once.
            double[] a = Values(random, m * k);
            double[] b = Values(random, k * n);
            double[] c = Values(random, m * n);
            (double[] expected, double[] size) = Reference(m, n, k, a, b);
            foreach ((bool transposeA, bool transposeB) in new[] { (false, false), (true, false), (false, true) })
            {
                // op(A) = Aᵀ is stored k×m, op(B) = Bᵀ is stored n×k.
                double[] storedA = transposeA ? Transpose(a, m, k) : a;
                double[] storedB = transposeB ? Transpose(b, k, n) : b;
                var product = new Product(transposeA, transposeB, m, n, k, storedA, storedB, c, expected, size);
                string? problem = Compare<double>(candidate, product) ?? Compare<float>(candidate, product);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The product A·B of column-major A (m×k) and B (k×n), summed in double in order of p, and the size of each entry's
    /// terms, <c>Σ_p |a_ip·b_pj|</c>: a column of C at a time, adding a multiple of one column of A per term.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[] Product, double[] Size) Reference(int m, int n, int k, double[] a, double[] b)
    {
        double[] product = new double[m * n];
        double[] size = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            Span<double> sums = product.AsSpan(j * m, m);
            Span<double> sizes = size.AsSpan(j * m, m);
            for (int p = 0; p < k; p++)
            {
                double factor = b[(j * k) + p];
                ReadOnlySpan<double> column = a.AsSpan(p * m, m);
                for (int i = 0; i < m; i++)
                {
                    double term = column[i] * factor;
                    sums[i] += term;
                    sizes[i] += Math.Abs(term);
                }
            }
        }

        return (product, size);
    }

    /// <summary>The column-major transpose (columns × rows) of a column-major rows × columns matrix.</summary>
    private static double[] Transpose(double[] matrix, int rows, int columns)
    {
        double[] transposed = new double[matrix.Length];
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                transposed[(i * columns) + j] = matrix[(j * rows) + i];
            }
        }

        return transposed;
    }

    private static string? Compare<T>(MatrixBackend candidate, Product p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Cast<T>(p.A);
        T[] b = Cast<T>(p.B);
        double tolerance = 2.0 * (p.K + 1) * double.CreateTruncating(T.BitIncrement(T.One) - T.One);
        foreach (double beta in new[] { 0.0, 1.0 })
        {
            // With beta = 0 the product must overwrite C: NaN left in it fails the comparison.
            T[] actual = beta == 0 ? Filled(T.NaN, p.M * p.N) : Cast<T>(p.C);
            string where = string.Create(CultureInfo.InvariantCulture, $"{p.M}×{p.N}×{p.K} ({(typeof(T) == typeof(float) ? "float" : "double")}, {(p.TransposeA ? "Aᵀ" : "A")}·{(p.TransposeB ? "Bᵀ" : "B")}, beta {beta})");
            try
            {
                candidate.Multiply(p.TransposeA, p.TransposeB, p.M, p.N, p.K, a, b, T.CreateTruncating(beta), actual);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"its product failed on {where}: {e.GetType().Name}: {e.Message}";
            }

            double worst = WorstError(actual, p.Expected, p.C, beta, p.Size);
            if (double.IsInfinity(worst))
            {
                return $"gave NaN or infinity where the managed reference is finite, on {where}";
            }

            if (worst > tolerance)
            {
                return string.Create(CultureInfo.InvariantCulture, $"disagreed with the managed reference by {worst:0.#e+0} of the terms' size (allowed {tolerance:0.#e+0}) on {where}");
            }
        }

        return null;
    }

    /// <summary>
    /// The largest difference between <paramref name="actual"/> and <c>expected + beta·c</c>, each relative to the size
    /// of its terms; infinite when an entry is NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WorstError<T>(T[] actual, double[] expected, double[] c, double beta, double[] size)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(double.CreateTruncating(actual[i]) - expected[i] - (beta * c[i])) / (size[i] + Math.Abs(beta * c[i]) + double.Epsilon);
            worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
        }

        return worst;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Values(Random random, int length)
    {
        double[] values = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Values with few significant bits, exact in float, so both types multiply the same numbers.
            values[i] = Math.Round(((random.NextDouble() * 2) - 1) * 1024) / 1024;
        }

        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Cast<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] cast = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            cast[i] = T.CreateTruncating(values[i]);
        }

        return cast;
    }

    private static T[] Filled<T>(T value, int length)
    {
        T[] filled = new T[length];
        Array.Fill(filled, value);
        return filled;
    }

    /// <summary>One checked product: its shape, its operands as stored (doubles exact in float), its value and the size of each entry's terms.</summary>
    private sealed class Product(bool transposeA, bool transposeB, int m, int n, int k, double[] a, double[] b, double[] c, double[] expected, double[] size)
    {
        public bool TransposeA { get; } = transposeA;

        public bool TransposeB { get; } = transposeB;

        public int M { get; } = m;

        public int N { get; } = n;

        public int K { get; } = k;

        public double[] A { get; } = a;

        public double[] B { get; } = b;

        public double[] C { get; } = c;

        /// <summary><c>Σ_p a_ip·b_pj</c> for each entry of C, summed in double.</summary>
        public double[] Expected { get; } = expected;

        /// <summary><c>Σ_p |a_ip·b_pj|</c> for each entry of C.</summary>
        public double[] Size { get; } = size;
    }
}
