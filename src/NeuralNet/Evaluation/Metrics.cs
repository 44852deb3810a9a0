using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Evaluation;

/// <summary>Scores of predictions against known answers. Every method takes the true values first, then the predictions.</summary>
public static class Metrics
{
    /// <summary>The fraction of predicted classes equal to the expected ones.</summary>
    /// <param name="expected">The true class indices.</param>
    /// <param name="predicted">The predicted class indices, as many as <paramref name="expected"/>.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    public static double Accuracy(IReadOnlyList<int> expected, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(expected);
        if (predicted.Count != expected.Count)
        {
            throw new ArgumentException($"Expected as many predictions as answers, but got {predicted.Count} predictions and {expected.Count} answers.", nameof(predicted));
        }

        if (predicted.Count == 0)
        {
            throw new ArgumentException("Expected at least one prediction, but got none.", nameof(predicted));
        }

        int correct = 0;
        for (int i = 0; i < predicted.Count; i++)
        {
            if (predicted[i] == expected[i])
            {
                correct++;
            }
        }

        return (double)correct / predicted.Count;
    }

    /// <summary>The unweighted mean of the per-class F1 scores over all <paramref name="classCount"/> classes (scikit-learn's <c>f1_score(average="macro", labels=range(k))</c>).</summary>
    /// <param name="expected">The true class indices.</param>
    /// <param name="predicted">The predicted class indices, as many as <paramref name="expected"/>.</param>
    /// <param name="classCount">The number of classes; every class must lie in [0, classCount).</param>
    /// <returns>A value in [0, 1]; a class never predicted, or without samples, scores 0 (see <see cref="ClassificationReport"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a class is out of range.</exception>
    public static double MacroF1(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, int classCount)
        => new ClassificationReport(new ConfusionMatrix(expected, predicted, classCount)).MacroAverage.F1;

    /// <summary>The mean of the per-class F1 scores weighted by each class's sample count (scikit-learn's <c>f1_score(average="weighted")</c>).</summary>
    /// <param name="expected">The true class indices.</param>
    /// <param name="predicted">The predicted class indices, as many as <paramref name="expected"/>.</param>
    /// <param name="classCount">The number of classes; every class must lie in [0, classCount).</param>
    /// <returns>A value in [0, 1]; a class never predicted scores 0 (see <see cref="ClassificationReport"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a class is out of range.</exception>
    public static double WeightedF1(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, int classCount)
        => new ClassificationReport(new ConfusionMatrix(expected, predicted, classCount)).WeightedAverage.F1;

    /// <summary>The mean over all entries of the squared difference: <c>(1/(m·k)) Σ (p − y)²</c>.</summary>
    /// <param name="expected">The true values, samples × outputs.</param>
    /// <param name="predicted">The predictions, samples × outputs.</param>
    /// <returns>A non-negative value.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public static double MeanSquaredError<T>(Matrix<T> expected, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Mean(expected, predicted, static d => d * d);

    /// <summary>The mean over all entries of the absolute difference: <c>(1/(m·k)) Σ |p − y|</c>.</summary>
    /// <param name="expected">The true values, samples × outputs.</param>
    /// <param name="predicted">The predictions, samples × outputs.</param>
    /// <returns>A non-negative value.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public static double MeanAbsoluteError<T>(Matrix<T> expected, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Mean(expected, predicted, Math.Abs);

    /// <summary>
    /// The coefficient of determination <c>R² = 1 − Σ(y − p)² / Σ(y − ȳ)²</c>, over all entries with ȳ taken per
    /// output column: 1 for a perfect fit, 0 for predicting each column's mean, negative for worse.
    /// </summary>
    /// <param name="expected">The true values, samples × outputs.</param>
    /// <param name="predicted">The predictions, samples × outputs.</param>
    /// <returns>R²; 1 when the targets are constant and predicted exactly, 0 when constant and missed.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public static double RSquared<T>(Matrix<T> expected, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(predicted, expected);
        ReadOnlySpan<T> p = Storage.Read(predicted, out _);
        ReadOnlySpan<T> y = Storage.Read(expected, out _);
        int rows = expected.RowCount;
        double residual = 0;
        double total = 0;
        for (int j = 0; j < expected.ColumnCount; j++)
        {
            double mean = 0;
            for (int i = 0; i < rows; i++)
            {
                mean += double.CreateChecked(y[(j * rows) + i]);
            }

            mean /= rows;
            for (int i = 0; i < rows; i++)
            {
                double yi = double.CreateChecked(y[(j * rows) + i]);
                double d = yi - double.CreateChecked(p[(j * rows) + i]);
                residual += d * d;
                total += (yi - mean) * (yi - mean);
            }
        }

        return total == 0 ? (residual == 0 ? 1 : 0) : 1 - (residual / total);
    }

    private static double Mean<T>(Matrix<T> expected, Matrix<T> predicted, Func<double, double> term)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(predicted, expected);
        ReadOnlySpan<T> p = Storage.Read(predicted, out _);
        ReadOnlySpan<T> y = Storage.Read(expected, out _);
        double sum = 0;
        for (int k = 0; k < p.Length; k++)
        {
            sum += term(double.CreateChecked(p[k]) - double.CreateChecked(y[k]));
        }

        return sum / p.Length;
    }

    private static void Check<T>(Matrix<T> predicted, Matrix<T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(predicted, nameof(predicted));
        ArgumentNullException.ThrowIfNull(expected);
        Guard.SameShape(expected, predicted.RowCount, predicted.ColumnCount, "Metrics", nameof(expected));
    }
}
