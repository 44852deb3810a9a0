using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>Creates <see cref="Dataset{T}"/> instances from arrays and matrices (see also <see cref="Csv"/> and <see cref="Mnist"/>).</summary>
public static class Dataset
{
    /// <summary>A classification dataset from a feature matrix and one class label per sample.</summary>
    /// <param name="features">Samples × features, at least one sample, all finite.</param>
    /// <param name="labels">One class index per sample, each in [0, classCount).</param>
    /// <param name="classCount">The number of classes; the largest label + 1 when null. At least 2.</param>
    /// <param name="classNames">Optional names of the classes, <paramref name="classCount"/> of them.</param>
    /// <returns>The dataset, with one-hot targets.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The one-hot targets (samples × classes) would be more than one array holds; checked in 64 bits before anything is allocated.</exception>
    /// <exception cref="ArgumentException">Empty features, non-finite values, a label count that differs from the sample count, a label out of range, or fewer than 2 classes.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> ForClassification<T>(Matrix<T> features, IReadOnlyList<int> labels, int? classCount = null, IReadOnlyList<string>? classNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        Guard.NotEmpty(features, nameof(features));
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Finite(features, nameof(features));
        if (labels.Count != features.RowCount)
        {
            throw new ArgumentException($"Expected one label per sample: {features.RowCount} samples but {labels.Count} labels.", nameof(labels));
        }

        // The largest label + 1 in 64 bits: int.MaxValue + 1 would wrap to a negative class count.
        long inferred = classCount ?? (labels.Count == 0 ? 0 : labels.Max() + 1L);
        if (inferred < 2)
        {
            throw new ArgumentException($"Expected at least 2 classes, but got {inferred}.", nameof(classCount));
        }

        Guard.MatrixSize(labels.Count, inferred, $"The one-hot targets of {labels.Count} labels in {inferred} classes", classCount is null ? nameof(labels) : nameof(classCount));
        int classes = (int)inferred;

        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"Expected {classes} class names, but got {classNames.Count}.", nameof(classNames));
        }

        int[] copy = [.. labels];
        return new Dataset<T>(Storage.Dense(features).Clone(), OneHot.Encode<T>(copy, classes), copy, classes, classNames);
    }

    /// <summary>A classification dataset from one feature array per sample and one class label per sample.</summary>
    /// <param name="features">One array of features per sample, all of the same length.</param>
    /// <param name="labels">One class index per sample.</param>
    /// <param name="classCount">The number of classes; the largest label + 1 when null.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Samples × features or the one-hot targets would be more than one array holds.</exception>
    /// <exception cref="ArgumentException">Ragged or empty features, or bad labels (see the matrix overload).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> ForClassification<T>(IReadOnlyList<T[]> features, IReadOnlyList<int> labels, int? classCount = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForClassification(FromRows<T>(features, nameof(features)), labels, classCount);

    /// <summary>A regression dataset from feature and target matrices.</summary>
    /// <param name="features">Samples × features, all finite.</param>
    /// <param name="targets">Samples × outputs, all finite.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">Empty data, non-finite values or different row counts.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> ForRegression<T>(Matrix<T> features, Matrix<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        Guard.NotEmpty(features, nameof(features));
        Guard.NotEmpty(targets, nameof(targets));
        Guard.SameRowCount(features, targets.RowCount, nameof(targets));
        Guard.Finite(features, nameof(features));
        Guard.Finite(targets, nameof(targets));
        return new Dataset<T>(Storage.Dense(features).Clone(), Storage.Dense(targets).Clone(), null, 0, null);
    }

    /// <summary>A regression dataset from one feature array and one target array per sample.</summary>
    /// <param name="features">One array of features per sample, all of the same length.</param>
    /// <param name="targets">One array of targets per sample, all of the same length.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Samples × features or samples × targets would be more than one array holds.</exception>
    /// <exception cref="ArgumentException">Ragged or empty arrays, non-finite values or different sample counts.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> ForRegression<T>(IReadOnlyList<T[]> features, IReadOnlyList<T[]> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForRegression(FromRows<T>(features, nameof(features)), FromRows<T>(targets, nameof(targets)));

    private static Matrix<T> FromRows<T>(IReadOnlyList<T[]> rows, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Before MathNet's builder, whose type initialiser fails for other types.
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(rows, paramName);
        if (rows.Count == 0 || rows[0] is null || rows[0].Length == 0)
        {
            throw new ArgumentException($"{paramName} must hold at least one sample with at least one value, but got none.", paramName);
        }

        int width = rows[0].Length;
        // The rows may all be one array repeated: cheap for the caller, but MathNet's 32-bit size of the copy would wrap.
        Guard.MatrixSize(rows.Count, width, paramName, paramName);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null || rows[i].Length != width)
            {
                throw new ArgumentException($"Expected every row of {paramName} to have {width} values, but row {i} has {rows[i]?.Length ?? 0}.", paramName);
            }
        }

        return Matrix<T>.Build.DenseOfRowArrays(rows);
    }
}
