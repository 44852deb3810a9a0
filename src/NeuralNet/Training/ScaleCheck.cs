using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Looks once, at a run's first batch, for data that is likely unscaled, the commonest cause of divergence: a feature
/// whose standard deviation is at least <see cref="FeatureRatio"/> times another's (constant features aside), or, for
/// regression, a target column whose |mean| or standard deviation is at least <see cref="TargetLimit"/>, or whose
/// standard deviation is at most 1/<see cref="TargetLimit"/>² (while not constant).
/// </summary>
internal static class ScaleCheck
{
    /// <summary>Three orders of magnitude between two features' spreads: beyond what differing units explain for data meant to be standardised.</summary>
    public const double FeatureRatio = 1000;

    /// <summary>A target's scale this far from 1 makes the first gradients and the loss that large (or small).</summary>
    public const double TargetLimit = 10;

    /// <summary>The warning for the batch, or null when it looks scaled.</summary>
    public static string? Warning<T>(Matrix<T> inputs, Matrix<T> targets, bool classification)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var problems = new List<string>();
        (double mean, double std)[] features = Moments(inputs);
        int widest = -1;
        int narrowest = -1;
        for (int j = 0; j < features.Length; j++)
        {
            if (features[j].std <= 0)
            {
                continue;
            }

            if (widest < 0 || features[j].std > features[widest].std)
            {
                widest = j;
            }

            if (narrowest < 0 || features[j].std < features[narrowest].std)
            {
                narrowest = j;
            }
        }

        if (widest >= 0 && features[widest].std >= FeatureRatio * features[narrowest].std)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"feature {widest} varies with standard deviation {features[widest].std:G3}, {features[widest].std / features[narrowest].std:G2} times that of feature {narrowest} ({features[narrowest].std:G3})"));
        }

        if (!classification)
        {
            (double mean, double std)[] outputs = Moments(targets);
            for (int j = 0; j < outputs.Length; j++)
            {
                (double mean, double std) = outputs[j];
                if (Math.Abs(mean) >= TargetLimit || std >= TargetLimit || (std > 0 && std <= 1 / (TargetLimit * TargetLimit)))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"target {j} has mean {mean:G3} and standard deviation {std:G3}, far from 0 and 1"));
                }
            }
        }

        return problems.Count == 0
            ? null
            : $"The data looks unscaled, a likely cause of divergence: {string.Join("; ", problems)}. Standardise features (StandardScaler) and regression targets, or lower the learning rate.";
    }

    /// <summary>The mean and population standard deviation of each column.</summary>
    private static (double Mean, double Std)[] Moments<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = Storage.Of(matrix);
        int rows = matrix.RowCount;
        var moments = new (double, double)[matrix.ColumnCount];
        for (int j = 0; j < moments.Length; j++)
        {
            ReadOnlySpan<T> column = values.Slice(j * rows, rows);
            double sum = 0;
            foreach (T value in column)
            {
                sum += double.CreateChecked(value);
            }

            double mean = sum / rows;
            double squares = 0;
            foreach (T value in column)
            {
                double d = double.CreateChecked(value) - mean;
                squares += d * d;
            }

            moments[j] = (mean, Math.Sqrt(squares / rows));
        }

        return moments;
    }
}
