using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Checks in a benchmark's GlobalSetup that a backend's product agrees with MathNet.Numerics' own, so no benchmark
/// ever times a wrong kernel. Throws when it does not.
/// </summary>
internal static class BackendCheck
{
    /// <summary>
    /// The largest accepted error of an entry, relative to <c>Σ_p |a_ip|·|b_pj|</c> (the size of its terms). Rounding
    /// in float stays near 1e-6 of that; one missing or wrong term among k ≤ 8000 costs about 1/k ≥ 1.25e-4.
    /// </summary>
    private const double Tolerance = 2e-5;

    /// <summary>Checks <paramref name="backend"/> on every shape, overwriting (beta = 0) and accumulating (beta = 1).</summary>
    /// <exception cref="InvalidOperationException">The backend disagrees with MathNet on a shape.</exception>
    public static void Verify(MatrixBackend backend, IEnumerable<ProductShape> shapes)
    {
        var random = new Random(20240601);
        double worst = 0;
        foreach (ProductShape shape in shapes)
        {
            Matrix<float> a = RandomMatrix(random, shape.AShape);
            Matrix<float> b = RandomMatrix(random, shape.BShape);
            Matrix<float> expected = MathNetProduct(shape, a, b);
            Matrix<float> magnitude = MathNetProduct(shape, a.PointwiseAbs(), b.PointwiseAbs());

            // beta = 0 must overwrite whatever C holds.
            float[] c = Enumerable.Repeat(1000f, shape.M * shape.N).ToArray();
            backend.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, Storage(a), Storage(b), 0f, c);
            worst = Math.Max(worst, Compare(backend, shape, "beta=0", Storage(expected), Storage(magnitude), c, null));

            // beta = 1 must add to it.
            float[] initial = Storage(RandomMatrix(random, (shape.M, shape.N)));
            c = (float[])initial.Clone();
            backend.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, Storage(a), Storage(b), 1f, c);
            worst = Math.Max(worst, Compare(backend, shape, "beta=1", Storage(expected), Storage(magnitude), c, initial));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Backend check: {backend.Name} agrees with MathNet ({MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider}), worst error {worst:E2} of the terms' size (tolerance {Tolerance:E0})."));
    }

    /// <summary>The same product done by MathNet.Numerics (its default, managed provider).</summary>
    public static Matrix<float> MathNetProduct(ProductShape shape, Matrix<float> a, Matrix<float> b) => shape.Product switch
    {
        Product.Forward => a.Multiply(b),
        Product.WeightGradient => a.TransposeThisAndMultiply(b),
        Product.InputGradient => a.TransposeAndMultiply(b),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown product."),
    };

    /// <summary>A dense matrix of uniform values in [-1, 1).</summary>
    public static Matrix<float> RandomMatrix(Random random, (int Rows, int Columns) shape)
        => Matrix<float>.Build.Dense(shape.Rows, shape.Columns, (_, _) => (float)((2 * random.NextDouble()) - 1));

    /// <summary>The column-major array behind a dense matrix.</summary>
    public static float[] Storage(Matrix<float> matrix)
        => matrix.AsColumnMajorArray() ?? throw new ArgumentException("Expected a dense matrix.", nameof(matrix));

    private static double Compare(MatrixBackend backend, ProductShape shape, string mode, float[] expected, float[] magnitude, float[] actual, float[]? initial)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double want = expected[i] + (initial?[i] ?? 0f);
            double error = Math.Abs(actual[i] - want) / (magnitude[i] + Math.Abs(initial?[i] ?? 0f) + 1e-30);
            if (!(error <= Tolerance))
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Backend {backend.Name} disagrees with MathNet on {shape} ({mode}): entry {i % shape.M},{i / shape.M} is {actual[i]} but MathNet gives {want}."));
            }

            worst = Math.Max(worst, error);
        }

        return worst;
    }
}
