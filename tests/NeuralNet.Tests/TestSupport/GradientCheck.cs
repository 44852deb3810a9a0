using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Central-difference gradient checks in float64, on random matrices from <see cref="TestData.RandomMatrix(Random, int, int, double)"/>.
/// </summary>
/// <remarks>
/// Error metric: the element-wise maximum of <c>|a − n| / max(1e-8, |a| + |n|)</c>, where <c>a</c> is the
/// analytic and <c>n</c> the numerical derivative. It is scale-free for ordinary entries, and the 1e-8 floor
/// keeps entries that are exactly zero on both sides (a dead ReLU unit) from dividing 0 by 0.
/// With a step of 1e-6 the truncation error of the central difference is O(h²) ≈ 1e-12 and the rounding
/// error about 1e-16 / h ≈ 1e-10, so a correct gradient lands orders of magnitude below the 1e-6 tolerance
/// while a wrong one (a missing factor, a sign, a transposition) lands near 1.
/// </remarks>
internal static class GradientCheck
{
    /// <summary>The central-difference step h.</summary>
    public const double Step = 1e-6;

    /// <summary>The largest relative error a correct gradient is allowed.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>The denominator floor of the relative error.</summary>
    public const double Floor = 1e-8;

    /// <summary>
    /// ∂f/∂x for every entry of <paramref name="x"/> by central differences. Each entry is nudged in place
    /// and restored before the next, so <paramref name="f"/> must read <paramref name="x"/> afresh on each call.
    /// </summary>
    public static Matrix<double> Numerical(Func<double> f, Matrix<double> x)
    {
        var gradient = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                double saved = x[i, j];
                double up = saved + Step;
                double down = saved - Step;
                x[i, j] = up;
                double plus = f();
                x[i, j] = down;
                double minus = f();
                x[i, j] = saved;

                // up − down is the step actually taken once x ± h is rounded, not exactly 2h.
                gradient[i, j] = (plus - minus) / (up - down);
            }
        }

        return gradient;
    }

    /// <summary>
    /// ∂/∂x of the scalar <c>Σ (output() ⊙ upstream)</c> by central differences: the gradient a layer's backward
    /// pass must produce when handed <paramref name="upstream"/> as dL/d(output).
    /// </summary>
    /// <remarks>
    /// The two outputs are subtracted element by element before weighting and summing, so outputs the nudge
    /// leaves unchanged cancel exactly and add no rounding noise; mathematically this is the same difference
    /// of the two scalars.
    /// </remarks>
    public static Matrix<double> Numerical(Func<Matrix<double>> output, Matrix<double> upstream, Matrix<double> x)
    {
        var gradient = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                double saved = x[i, j];
                double up = saved + Step;
                double down = saved - Step;

                // Clone: layers hand back buffers they overwrite on the next call.
                x[i, j] = up;
                Matrix<double> plus = output().Clone();
                x[i, j] = down;
                Matrix<double> minus = output().Clone();
                x[i, j] = saved;

                gradient[i, j] = (plus - minus).PointwiseMultiply(upstream).Enumerate().Sum() / (up - down);
            }
        }

        return gradient;
    }

    /// <summary>The element-wise maximum of <c>|a − n| / max(1e-8, |a| + |n|)</c>.</summary>
    public static double MaxRelativeError(Matrix<double> analytic, Matrix<double> numerical)
    {
        if (analytic.RowCount != numerical.RowCount || analytic.ColumnCount != numerical.ColumnCount)
        {
            throw new ArgumentException(
                $"Expected matrices of the same shape, but got {analytic.RowCount}×{analytic.ColumnCount} and {numerical.RowCount}×{numerical.ColumnCount}.",
                nameof(numerical));
        }

        double worst = 0;
        for (int i = 0; i < analytic.RowCount; i++)
        {
            for (int j = 0; j < analytic.ColumnCount; j++)
            {
                double a = analytic[i, j];
                double n = numerical[i, j];
                worst = Math.Max(worst, Math.Abs(a - n) / Math.Max(Floor, Math.Abs(a) + Math.Abs(n)));
            }
        }

        return worst;
    }

    /// <summary>
    /// Asserts that <paramref name="analytic"/> matches <paramref name="numerical"/> within <see cref="Tolerance"/>,
    /// and that the check is not vacuous: a gradient of all zeros would match a constant function's.
    /// </summary>
    public static void ShouldMatch(Matrix<double> analytic, Matrix<double> numerical, string what)
    {
        analytic.RowCount.Should().Be(numerical.RowCount, "the gradient of {0} has the shape of what it differentiates", what);
        analytic.ColumnCount.Should().Be(numerical.ColumnCount, "the gradient of {0} has the shape of what it differentiates", what);
        numerical.Enumerate().Max(Math.Abs).Should().BeGreaterThan(1e-3, "the function must depend on {0} for the check to mean anything", what);
        double error = MaxRelativeError(analytic, numerical);
        error.Should().BeLessThan(
            Tolerance,
            "the analytic gradient of {0} must match central differences (analytic {1}, numerical {2})",
            what,
            analytic.ToMatrixString(),
            numerical.ToMatrixString());
    }

    /// <summary>The pre-activation <c>X·W + b</c>, computed with MathNet's own operators (independently of the layer).</summary>
    public static Matrix<double> Affine(Matrix<double> x, Matrix<double> weights, Matrix<double> biases)
        => (x * weights) + (Matrix<double>.Build.Dense(x.RowCount, 1, 1.0) * biases);
}
