using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// What both scalers share: they map each feature by <c>(x − offset) / scale</c> (the mean and standard deviation,
/// or the minimum and range), so checking statistics given from outside, undoing the map, and the arithmetic of the
/// inverse are the same code.
/// </summary>
internal static class ScalerStatistics
{
    /// <summary>
    /// Copies statistics given from outside after checking them: as many scales as offsets, at least one, all finite,
    /// no scale negative; a scale of 0 (a constant feature) becomes 1, as fitting makes it and as scikit-learn does.
    /// </summary>
    public static (T[] Offsets, T[] Scales) Check<T>(IReadOnlyList<T> offsets, IReadOnlyList<T> scales, string owner, string offsetName, string scaleName, string offsetParam, string scaleParam)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(offsets, offsetParam);
        ArgumentNullException.ThrowIfNull(scales, scaleParam);
        if (offsets.Count == 0)
        {
            throw new ArgumentException($"{owner} expects at least one {offsetName}, one per feature, but got none.", offsetParam);
        }

        if (scales.Count != offsets.Count)
        {
            throw new ArgumentException($"{owner} expects one {scaleName} per {offsetName}, but got {offsets.Count} {offsetName} values and {scales.Count} {scaleName} values.", scaleParam);
        }

        var offsetCopy = new T[offsets.Count];
        var scaleCopy = new T[scales.Count];
        for (int j = 0; j < offsetCopy.Length; j++)
        {
            T offset = offsets[j];
            T scale = scales[j];
            if (!T.IsFinite(offset))
            {
                throw new ArgumentException(Invariant($"{owner} expects finite {offsetName} values, but feature {j}'s is {offset}."), offsetParam);
            }

            if (!T.IsFinite(scale) || (T.IsNegative(scale) && scale != T.Zero))
            {
                throw new ArgumentException(Invariant($"{owner} expects finite {scaleName} values of at least 0, but feature {j}'s is {scale}."), scaleParam);
            }

            offsetCopy[j] = offset;
            scaleCopy[j] = scale == T.Zero ? T.One : scale;
        }

        return (offsetCopy, scaleCopy);
    }

    /// <summary><c>x · scale + offset</c> per column, into a new matrix: the inverse of <c>(x − offset) / scale</c>.</summary>
    public static Matrix<T> Inverse<T>(Matrix<T> values, T[] offsets, T[] scales, string owner, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(values, paramName);
        Guard.Columns(values, offsets.Length, owner, paramName);
        Matrix<T> result = Storage.Dense(values).Clone();
        InverseInPlace(result, offsets, scales);
        return result;
    }

    /// <summary><c>x · scale + offset</c> per column of a dense matrix of <paramref name="offsets"/>.Length columns, in place.</summary>
    public static void InverseInPlace<T>(Matrix<T> values, T[] offsets, T[] scales)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> all = Storage.Of(values);
        int rows = values.RowCount;
        for (int j = 0; j < offsets.Length; j++)
        {
            Span<T> column = all.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                column[i] = (column[i] * scales[j]) + offsets[j];
            }
        }
    }

    /// <summary>Refuses to use a scaler that was never fitted nor given statistics.</summary>
    public static InvalidOperationException NotFitted(string owner, string operation)
        => new($"{owner} must be fitted (Fit) on training data, or made from its statistics, before {operation}.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
