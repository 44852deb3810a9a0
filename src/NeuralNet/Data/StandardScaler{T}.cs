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

    // The statistics PartialFit keeps, and the means it last published (so that it can tell whether Fit came since).
    private RunningMoments? _running;
    private T[]? _partialMean;

    /// <summary>Creates an unfitted scaler.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public StandardScaler()
    {
        // Here rather than at Fit: a scaler of another type could never be fitted, so it is refused when made.
        Guard.Precision<T>();
    }

    /// <summary>Creates a fitted scaler from statistics computed elsewhere: a saved scaler's, or another tool's.</summary>
    /// <param name="mean">The per-feature means, at least one, all finite.</param>
    /// <param name="standardDeviation">The per-feature standard deviations, as many as means, finite and at least 0; a 0 (a constant feature) is kept as 1, as <see cref="Fit(Matrix{T})"/> does and scikit-learn does, so that such a feature is only centred.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">No means, a different number of standard deviations, a value that is not finite, or a negative standard deviation.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public StandardScaler(IReadOnlyList<T> mean, IReadOnlyList<T> standardDeviation)
        : this()
    {
        (_mean, _scale) = ScalerStatistics.Check(mean, standardDeviation, "StandardScaler", "mean", "standard deviation", nameof(mean), nameof(standardDeviation));
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

    /// <summary>
    /// Updates the fitted mean and standard deviation with one more chunk of the training data, so that data read in
    /// batches (<see cref="Csv.ReadBatches{T}"/>), too large to hold at once, can be standardised: after the last chunk
    /// the statistics are those <see cref="Fit(Matrix{T})"/> gives on all the chunks together, within rounding
    /// (1e-12 relative in double, whatever the chunk sizes). The scaler can <see cref="Transform(Matrix{T})"/> after any chunk.
    /// </summary>
    /// <remarks>
    /// Computed in double, each column relative to its first value, with Chan's pairwise update of the mean and the
    /// squared deviations: data far from 0 keeps its digits (1e9 ± 1 in chunks of one row: the deviation within 1e-13
    /// of the exact one). PartialFit continues only what PartialFit started: a scaler fitted by
    /// <see cref="Fit(Matrix{T})"/>, made from statistics or loaded keeps no sample count to continue from. Not
    /// thread-safe while it runs.
    /// </remarks>
    /// <param name="features">The next training samples × features, finite; the same feature count every time.</param>
    /// <returns>This scaler.</returns>
    /// <exception cref="ArgumentException">The matrix is empty, holds NaN or infinity, or has another column count than the chunks before.</exception>
    /// <exception cref="InvalidOperationException">The scaler holds statistics that PartialFit did not gather (from <see cref="Fit(Matrix{T})"/>, or given).</exception>
    public StandardScaler<T> PartialFit(Matrix<T> features)
    {
        Guard.NotEmpty(features, nameof(features));
        if (_mean is not null && !ReferenceEquals(_mean, _partialMean))
        {
            throw new InvalidOperationException("StandardScaler holds statistics that PartialFit did not gather (from Fit, or given), which keep no sample count to continue from; PartialFit continues only what PartialFit started, so use a new scaler for it.");
        }

        _running ??= new RunningMoments(features.ColumnCount);
        Guard.Columns(features, _running.Columns, "StandardScaler.PartialFit", nameof(features));
        Guard.Finite(features, nameof(features));
        _running.Add(features);
        var mean = new T[_running.Columns];
        var scale = new T[_running.Columns];
        for (int j = 0; j < mean.Length; j++)
        {
            double std = Math.Sqrt(_running.Variance(j));
            mean[j] = T.CreateChecked(_running.Mean(j));
            scale[j] = std > 0 ? T.CreateChecked(std) : T.One;
        }

        (_mean, _scale, _partialMean) = (mean, scale, mean);
        return this;
    }

    /// <summary>Undoes <see cref="Transform(Matrix{T})"/>: <c>x · std + mean</c> per feature, such as standardised predictions back in the target's units.</summary>
    /// <param name="values">Samples × the fitted number of features.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">The matrix is empty, or its column count differs from the fitted one.</exception>
    public Matrix<T> InverseTransform(Matrix<T> values)
    {
        if (_mean is null || _scale is null)
        {
            throw ScalerStatistics.NotFitted("StandardScaler", "InverseTransform");
        }

        return ScalerStatistics.Inverse(values, _mean, _scale, "StandardScaler", nameof(values));
    }

    /// <summary>Saves the statistics to a JSON scaler file, replacing it atomically.</summary>
    /// <remarks>
    /// The file is <c>{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": […], "standard_deviation": […] }</c>,
    /// the numbers written so that they read back to the same bits.
    /// </remarks>
    /// <param name="path">The file; a failed save leaves any previous file at this path intact.</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        (T[] mean, T[] scale) = FittedFor("Save");
        ScalerFile.Save(path, FileType, ("mean", mean), ("standard_deviation", scale));
    }

    /// <summary>Saves the statistics as a JSON scaler file (see <see cref="Save(string)"/>) to a stream.</summary>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public void Save(Stream stream)
    {
        (T[] mean, T[] scale) = FittedFor("Save");
        ScalerFile.Save(stream, FileType, ("mean", mean), ("standard_deviation", scale));
    }

    internal const string FileType = "standard";

    private (T[] Mean, T[] Scale) FittedFor(string operation)
        => _mean is null || _scale is null ? throw ScalerStatistics.NotFitted("StandardScaler", operation) : (_mean, _scale);

    private (T[] Mean, T[] Scale) Fitted()
        => _mean is null || _scale is null
            ? throw new InvalidOperationException("StandardScaler must be fitted (Fit) on training data before Transform.")
            : (_mean, _scale);
}
