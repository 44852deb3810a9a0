using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Evaluation;

namespace NeuralNet.Tests.Evaluation;

/// <summary>Accuracy and the regression scores (MSE, MAE, R²) against values worked out by hand.</summary>
public class MetricsTests
{
    private const double Tolerance = 1e-12;

    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    [Fact]
    public void Accuracy_is_the_fraction_of_equal_classes()
    {
        // Matches at positions 0, 2, 3: 3 of 5.
        Metrics.Accuracy([0, 2, 2, 1, 1], [0, 1, 2, 1, 0]).Should().BeApproximately(0.6, Tolerance);
        Metrics.Accuracy([4, 4], [4, 4]).Should().Be(1);
        Metrics.Accuracy([0], [1]).Should().Be(0);
    }

    [Fact]
    public void Accuracy_rejects_null_lists()
    {
        Action nullPredicted = () => Metrics.Accuracy([0], null!);
        Action nullExpected = () => Metrics.Accuracy(null!, [0]);

        nullPredicted.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("predicted");
        nullExpected.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("expected");
    }

    [Fact]
    public void Metrics_Accuracy_rejects_lists_of_different_lengths()
    {
        Action act = () => Metrics.Accuracy([0, 1, 1], [0, 1]);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*as many predictions as answers*2 predictions and 3 answers*");
    }

    // Accuracy of nothing is 0/0; returning NaN or 0 would silently poison an evaluation report.
    [Fact]
    public void Metrics_Accuracy_rejects_empty_lists()
    {
        Action act = () => Metrics.Accuracy([], []);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one prediction, but got none*");
    }

    [Fact]
    public void Metrics_Accuracy_counts_matching_positions()
    {
        // Positions 0, 2 and 4 match: 3 of 5.
        Metrics.Accuracy([1, 1, 2, 0, 0], [1, 0, 2, 2, 0]).Should().Be(0.6);
    }

    [Fact]
    public void MeanSquaredError_averages_squared_differences_over_every_entry()
    {
        // Differences p − y: 1 − 0 = 1, 2 − 2 = 0, 3 − 5 = −2, 4 − 1 = 3.
        // Squares 1 + 0 + 4 + 9 = 14 over 2·2 entries = 3.5.
        var predicted = Rows([1, 2], [3, 4]);
        var expected = Rows([0, 2], [5, 1]);

        Metrics.MeanSquaredError(expected, predicted).Should().BeApproximately(3.5, Tolerance);
    }

    [Fact]
    public void MeanAbsoluteError_averages_absolute_differences_over_every_entry()
    {
        // |1| + |0| + |−2| + |3| = 6 over 4 entries = 1.5.
        var predicted = Rows([1, 2], [3, 4]);
        var expected = Rows([0, 2], [5, 1]);

        Metrics.MeanAbsoluteError(expected, predicted).Should().BeApproximately(1.5, Tolerance);
    }

    [Fact]
    public void Errors_of_a_perfect_prediction_are_zero_and_symmetric_in_the_arguments()
    {
        var random = new Random(5501);
        var a = Matrix<double>.Build.Dense(6, 3, (_, _) => random.NextDouble());
        var b = Matrix<double>.Build.Dense(6, 3, (_, _) => random.NextDouble());

        Metrics.MeanSquaredError(a, a).Should().Be(0);
        Metrics.MeanAbsoluteError(a, a).Should().Be(0);
        Metrics.MeanSquaredError(b, a).Should().BeApproximately(Metrics.MeanSquaredError(a, b), Tolerance);
        // Independent computation over the flattened entries.
        double mae = a.Enumerate().Zip(b.Enumerate(), (x, y) => Math.Abs(x - y)).Average();
        Metrics.MeanAbsoluteError(b, a).Should().BeApproximately(mae, Tolerance);
    }

    [Fact]
    public void Errors_work_in_single_precision()
    {
        var predicted = Matrix<float>.Build.DenseOfRowArrays([0.5f], [2f]);
        var expected = Matrix<float>.Build.DenseOfRowArrays([0f], [0f]);

        // (0.25 + 4)/2 = 2.125 and (0.5 + 2)/2 = 1.25.
        Metrics.MeanSquaredError(expected, predicted).Should().BeApproximately(2.125, 1e-6);
        Metrics.MeanAbsoluteError(expected, predicted).Should().BeApproximately(1.25, 1e-6);
    }

    [Fact]
    public void RSquared_is_one_minus_residual_over_total_sum_of_squares()
    {
        // y = 1, 2, 3, 4 (mean 2.5): total = 2.25 + 0.25 + 0.25 + 2.25 = 5.
        // p = 1.5, 2, 2.5, 5: residuals −0.5, 0, 0.5, −1 → 0.25 + 0 + 0.25 + 1 = 1.5. R² = 1 − 1.5/5 = 0.7.
        var predicted = Rows([1.5], [2], [2.5], [5]);
        var expected = Rows([1], [2], [3], [4]);

        Metrics.RSquared(expected, predicted).Should().BeApproximately(0.7, Tolerance);
    }

    [Fact]
    public void RSquared_takes_the_mean_of_each_output_column_separately()
    {
        // Column 0: y = 1, 3 (mean 2), p = 2, 2 → residual 1 + 1 = 2, total 1 + 1 = 2.
        // Column 1: y = 10, 30 (mean 20), p exact → residual 0, total 100 + 100 = 200.
        // R² = 1 − 2/202 ≈ 0.990099. (One mean over all entries, 11, would give total 526 and 1 − 2/526.)
        var predicted = Rows([2, 10], [2, 30]);
        var expected = Rows([1, 10], [3, 30]);

        Metrics.RSquared(expected, predicted).Should().BeApproximately(1 - (2.0 / 202), Tolerance);
    }

    [Fact]
    public void RSquared_is_one_for_a_perfect_fit_zero_for_the_mean_and_negative_for_worse()
    {
        var expected = Rows([1], [2], [3]);

        Metrics.RSquared(expected, Rows([1], [2], [3])).Should().Be(1);
        // Predicting the mean 2 everywhere: residual = total.
        Metrics.RSquared(expected, Rows([2], [2], [2])).Should().BeApproximately(0, Tolerance);
        // Reversed: residual 4 + 0 + 4 = 8, total 1 + 0 + 1 = 2 → 1 − 8/2 = −3.
        Metrics.RSquared(expected, Rows([3], [2], [1])).Should().BeApproximately(-3, Tolerance);
    }

    [Fact]
    public void RSquared_of_constant_targets_is_one_when_hit_and_zero_when_missed()
    {
        // Total sum of squares is 0, so 1 − residual/total is undefined; the documented convention applies.
        var expected = Rows([5], [5], [5]);

        Metrics.RSquared(expected, Rows([5], [5], [5])).Should().Be(1);
        Metrics.RSquared(expected, Rows([5], [5], [6])).Should().Be(0);
        Metrics.RSquared(expected, Rows([-100], [0], [100])).Should().Be(0);
    }

    [Fact]
    public void Regression_metrics_reject_matrices_of_different_shapes()
    {
        var predicted = Rows([1], [2]);
        var expected = Rows([1], [2], [3]);

        Action mse = () => Metrics.MeanSquaredError(expected, predicted);
        Action mae = () => Metrics.MeanAbsoluteError(expected, predicted);
        Action r2 = () => Metrics.RSquared(expected, predicted);

        foreach (Action act in new[] { mse, mae, r2 })
        {
            act.Should().ThrowExactly<ArgumentException>().WithMessage("Metrics expects expected to be 2×1 but got 3×1.*")
                .And.ParamName.Should().Be("expected");
        }
    }

    [Fact]
    public void Regression_metrics_reject_null_matrices()
    {
        Action nullPredicted = () => Metrics.MeanSquaredError(Rows([1]), null!);
        Action nullExpected = () => Metrics.RSquared(null!, Rows([1]));

        nullPredicted.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("predicted");
        nullExpected.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("expected");
    }
}
