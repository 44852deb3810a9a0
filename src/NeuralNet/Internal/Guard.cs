using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Internal;

/// <summary>
/// Precondition checks shared by the public API. They run in Release builds too, and every
/// message names what was expected and what came in.
/// </summary>
internal static class Guard
{
    public static void Positive(int value, string paramName)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be positive, but got {value}.");
        }
    }

    public static void PositiveFinite(double value, string paramName)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a positive finite number, but got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    public static void InRange(double value, double min, double max, string paramName, bool maxInclusive = false)
    {
        bool ok = value >= min && (maxInclusive ? value <= max : value < max);
        if (!ok)
        {
            string upper = maxInclusive ? "]" : ")";
            throw new ArgumentOutOfRangeException(paramName, value, FormattableString.Invariant($"{paramName} must be in [{min}, {max}{upper}, but got {value}."));
        }
    }

    public static void NotEmpty<T>(Matrix<T> matrix, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix, paramName);
        if (matrix.RowCount == 0 || matrix.ColumnCount == 0)
        {
            throw new ArgumentException($"{paramName} must hold at least one row (sample) and one column, but got an empty {matrix.RowCount}×{matrix.ColumnCount} matrix.", paramName);
        }
    }

    public static void Columns<T>(Matrix<T> matrix, int expected, string owner, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (matrix.ColumnCount != expected)
        {
            throw new ArgumentException($"{owner} expects {expected} columns in {paramName} but got {matrix.RowCount}×{matrix.ColumnCount}.", paramName);
        }
    }

    public static void SameShape<T>(Matrix<T> actual, int rows, int columns, string owner, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (actual.RowCount != rows || actual.ColumnCount != columns)
        {
            throw new ArgumentException($"{owner} expects {paramName} to be {rows}×{columns} but got {actual.RowCount}×{actual.ColumnCount}.", paramName);
        }
    }

    public static void SameRowCount<T>(Matrix<T> inputs, int targetRows, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputs.RowCount != targetRows)
        {
            throw new ArgumentException($"Expected one target per sample: {inputs.RowCount} samples but {targetRows} rows in {paramName}.", paramName);
        }
    }

    /// <summary>Rejects NaN and infinity, naming the first offending row and column.</summary>
    public static void Finite<T>(Matrix<T> matrix, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> data = Storage.Read(matrix, out T[]? copy);
        _ = copy;
        for (int k = 0; k < data.Length; k++)
        {
            if (!T.IsFinite(data[k]))
            {
                int row = k % matrix.RowCount;
                int column = k / matrix.RowCount;
                throw new ArgumentException($"{paramName} must be finite, but row {row}, column {column} is {data[k]}.", paramName);
            }
        }
    }
}
