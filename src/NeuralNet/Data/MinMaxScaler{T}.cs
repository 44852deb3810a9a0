using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Min-max scaling: each feature becomes <c>(x − min) / (max − min)</c>, so the training data spans [0, 1];
/// the minimum and maximum are fitted on training data only and applied unchanged to other data (which may then
/// fall outside [0, 1]).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>A constant feature maps to 0. After fitting, the scaler is read-only and thread-safe.</remarks>
public sealed class MinMaxScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _min;
    private T[]? _range;

    // The ranges PartialFit keeps, and the minima it last published (so that it can tell whether Fit came since).
    private RunningRange<T>? _running;
    private T[]? _partialMin;

    /// <summary>Creates an unfitted scaler.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public MinMaxScaler()
    {
        // Here rather than at Fit: a scaler of another type could never be fitted, so it is refused when made.
        Guard.Precision<T>();
    }

    /// <summary>Creates a fitted scaler from statistics computed elsewhere: a saved scaler's, or another tool's.</summary>
    /// <param name="minimum">The per-feature minima, at least one, all finite.</param>
    /// <param name="range">The per-feature ranges (maximum − minimum), as many as minima, finite and at least 0; a 0 (a constant feature) is kept as 1, as <see cref="Fit(Matrix{T})"/> does, so that such a feature maps to 0.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">No minima, a different number of ranges, a value that is not finite, or a negative range.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public MinMaxScaler(IReadOnlyList<T> minimum, IReadOnlyList<T> range)
        : this()
    {
        (_min, _range) = ScalerStatistics.Check(minimum, range, "MinMaxScaler", "minimum", "range", nameof(minimum), nameof(range));
    }

    /// <summary>The fitted per-feature minima, or null before fitting.</summary>
    public IReadOnlyList<T>? Minimum => _min;

    /// <summary>The fitted per-feature ranges (max − min; 1 for constant features), or null before fitting.</summary>
    public IReadOnlyList<T>? Range => _range;

    /// <summary>Fits the per-feature minimum and maximum.</summary>
    /// <param name="features">Training samples × features.</param>
    /// <returns>This scaler.</returns>
    /// <exception cref="ArgumentException">The matrix is empty or holds NaN or infinity.</exception>
    public MinMaxScaler<T> Fit(Matrix<T> features)
    {
        Guard.NotEmpty(features, nameof(features));
        Guard.Finite(features, nameof(features));
        ReadOnlySpan<T> values = Storage.Read(features, out _);
        int rows = features.RowCount;
        _min = new T[features.ColumnCount];
        _range = new T[features.ColumnCount];
        for (int j = 0; j < _min.Length; j++)
        {
            ReadOnlySpan<T> column = values.Slice(j * rows, rows);
            T min = column[0];
            T max = column[0];
            foreach (T x in column)
            {
                min = T.Min(min, x);
                max = T.Max(max, x);
            }

            _min[j] = min;
            _range[j] = max > min ? max - min : T.One;
        }

        return this;
    }

    /// <summary>Fits on a dataset's features.</summary>
    /// <param name="data">The training data.</param>
    /// <returns>This scaler.</returns>
    public MinMaxScaler<T> Fit(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.Features);
    }

    /// <summary>
    /// Updates the fitted minimum and maximum with one more chunk of the training data, so that data read in batches
    /// (<see cref="Csv.ReadBatches{T}"/>) can be scaled: after the last chunk they are exactly those
    /// <see cref="Fit(Matrix{T})"/> gives on all the chunks together. The scaler can
    /// <see cref="Transform(Matrix{T})"/> after any chunk.
    /// </summary>
    /// <remarks>PartialFit continues only what PartialFit started: a scaler fitted by <see cref="Fit(Matrix{T})"/>, made from statistics or loaded is not extended. Not thread-safe while it runs.</remarks>
    /// <param name="features">The next training samples × features, finite; the same feature count every time.</param>
    /// <returns>This scaler.</returns>
    /// <exception cref="ArgumentException">The matrix is empty, holds NaN or infinity, or has another column count than the chunks before.</exception>
    /// <exception cref="InvalidOperationException">The scaler holds statistics that PartialFit did not gather (from <see cref="Fit(Matrix{T})"/>, or given).</exception>
    public MinMaxScaler<T> PartialFit(Matrix<T> features)
    {
        Guard.NotEmpty(features, nameof(features));
        if (_min is not null && !ReferenceEquals(_min, _partialMin))
        {
            throw new InvalidOperationException("MinMaxScaler holds statistics that PartialFit did not gather (from Fit, or given), which keep no sample count to continue from; PartialFit continues only what PartialFit started, so use a new scaler for it.");
        }

        _running ??= new RunningRange<T>(features.ColumnCount);
        Guard.Columns(features, _running.Columns, "MinMaxScaler.PartialFit", nameof(features));
        Guard.Finite(features, nameof(features));
        _running.Add(features);
        var min = new T[_running.Columns];
        var range = new T[_running.Columns];
        for (int j = 0; j < min.Length; j++)
        {
            min[j] = _running.Min(j);
            range[j] = _running.Max(j) > min[j] ? _running.Max(j) - min[j] : T.One;
        }

        (_min, _range, _partialMin) = (min, range, min);
        return this;
    }

    /// <summary>Scales <paramref name="features"/> with the fitted minima and ranges.</summary>
    /// <param name="features">Samples × the fitted number of features.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Matrix<T> Transform(Matrix<T> features)
    {
        if (_min is null || _range is null)
        {
            throw new InvalidOperationException("MinMaxScaler must be fitted (Fit) on training data before Transform.");
        }

        Guard.NotEmpty(features, nameof(features));
        Guard.Columns(features, _min.Length, "MinMaxScaler", nameof(features));
        Matrix<T> result = Storage.Dense(features).Clone();
        Span<T> values = Storage.Of(result);
        int rows = features.RowCount;
        for (int j = 0; j < _min.Length; j++)
        {
            Span<T> column = values.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                column[i] = (column[i] - _min[j]) / _range[j];
            }
        }

        return result;
    }

    /// <summary>A dataset with scaled features and the same targets.</summary>
    /// <param name="data">The data.</param>
    /// <returns>A new dataset.</returns>
    public Dataset<T> Transform(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.WithFeatures(Transform(data.Features));
    }

    /// <summary>Undoes <see cref="Transform(Matrix{T})"/>: <c>x · range + minimum</c> per feature.</summary>
    /// <param name="values">Samples × the fitted number of features.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">The matrix is empty, or its column count differs from the fitted one.</exception>
    public Matrix<T> InverseTransform(Matrix<T> values)
    {
        (T[] minimum, T[] range) = FittedFor("InverseTransform");
        return ScalerStatistics.Inverse(values, minimum, range, "MinMaxScaler", nameof(values));
    }

    /// <summary>Saves the statistics to a JSON scaler file, replacing it atomically.</summary>
    /// <remarks>
    /// The file is <c>{ "format": "neuralnet-scaler", "version": 1, "type": "min_max", "minimum": […], "range": […] }</c>,
    /// the numbers written so that they read back to the same bits.
    /// </remarks>
    /// <param name="path">The file; a failed save leaves any previous file at this path intact.</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        (T[] minimum, T[] range) = FittedFor("Save");
        ScalerFile.Save(path, FileType, ("minimum", minimum), ("range", range));
    }

    /// <summary>Saves the statistics as a JSON scaler file (see <see cref="Save(string)"/>) to a stream.</summary>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public void Save(Stream stream)
    {
        (T[] minimum, T[] range) = FittedFor("Save");
        ScalerFile.Save(stream, FileType, ("minimum", minimum), ("range", range));
    }

    internal const string FileType = "min_max";

    private (T[] Minimum, T[] Range) FittedFor(string operation)
        => _min is null || _range is null ? throw ScalerStatistics.NotFitted("MinMaxScaler", operation) : (_min, _range);
}
