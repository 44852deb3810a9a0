using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Standardisation: each feature becomes <c>(x − mean) / std</c>, with the mean and (population) standard
/// deviation fitted on training data only and then applied unchanged to validation and test data.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>A constant feature (std 0) is only centred, never divided by 0. After fitting, the scaler is read-only and thread-safe.</remarks>
public sealed class StandardScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _mean;
    private T[]? _scale;

    /// <summary>Creates an unfitted scaler.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public StandardScaler()
    {
        // Here rather than at Fit: a scaler of another type could never be fitted, so it is refused when made.
        Guard.Precision<T>();
    }

    /// <summary>The fitted per-feature means, or null before <see cref="Fit(Matrix{T})"/>.</summary>
    public IReadOnlyList<T>? Mean => _mean;

    /// <summary>The fitted per-feature standard deviations (1 for constant features), or null before fitting.</summary>
    public IReadOnlyList<T>? StandardDeviation => _scale;

    /// <summary>Fits the per-feature mean and standard deviation.</summary>
    /// <param name="features">Training samples × features.</param>
    /// <returns>This scaler.</returns>
    /// <exception cref="ArgumentException">The matrix is empty or holds NaN or infinity.</exception>
    public StandardScaler<T> Fit(Matrix<T> features)
    {
        Guard.NotEmpty(features, nameof(features));
        Guard.Finite(features, nameof(features));
        ReadOnlySpan<T> values = Storage.Read(features, out _);
        int rows = features.RowCount;
        _mean = new T[features.ColumnCount];
        _scale = new T[features.ColumnCount];
        for (int j = 0; j < _mean.Length; j++)
        {
            ReadOnlySpan<T> column = values.Slice(j * rows, rows);
            double mean = 0;
            foreach (T x in column)
            {
                mean += double.CreateChecked(x);
            }

            mean /= rows;
            double variance = 0;
            foreach (T x in column)
            {
                double d = double.CreateChecked(x) - mean;
                variance += d * d;
            }

            double std = Math.Sqrt(variance / rows);
            _mean[j] = T.CreateChecked(mean);
            _scale[j] = std > 0 ? T.CreateChecked(std) : T.One;
        }

        return this;
    }

    /// <summary>Fits on a dataset's features.</summary>
    /// <param name="data">The training data.</param>
    /// <returns>This scaler.</returns>
    public StandardScaler<T> Fit(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.Features);
    }

    /// <summary>Standardises <paramref name="features"/> with the fitted statistics.</summary>
    /// <param name="features">Samples × the fitted number of features.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Matrix<T> Transform(Matrix<T> features)
    {
        (T[] mean, T[] scale) = Fitted();
        Guard.NotEmpty(features, nameof(features));
        Guard.Columns(features, mean.Length, "StandardScaler", nameof(features));
        Matrix<T> result = Storage.Dense(features).Clone();
        Span<T> values = Storage.Of(result);
        int rows = features.RowCount;
        for (int j = 0; j < mean.Length; j++)
        {
            Span<T> column = values.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                column[i] = (column[i] - mean[j]) / scale[j];
            }
        }

        return result;
    }

    /// <summary>A dataset with standardised features and the same targets.</summary>
    /// <param name="data">The data.</param>
    /// <returns>A new dataset.</returns>
    public Dataset<T> Transform(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.WithFeatures(Transform(data.Features));
    }

    private (T[] Mean, T[] Scale) Fitted()
        => _mean is null || _scale is null
            ? throw new InvalidOperationException("StandardScaler must be fitted (Fit) on training data before Transform.")
            : (_mean, _scale);
}
