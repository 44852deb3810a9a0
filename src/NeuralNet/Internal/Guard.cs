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

    /// <summary>
    /// Refuses a rows × columns matrix (or buffer) that no dense matrix can hold, in 64-bit arithmetic so that no
    /// product of sizes can wrap: MathNet sizes its storage with a 32-bit product, which would wrap to a short buffer.
    /// </summary>
    public static void MatrixSize(long rows, long columns, string what, string paramName)
    {
        if (rows < 0 || columns < 0 || (rows > 0 && columns > Array.MaxLength / rows))
        {
            throw new ArgumentOutOfRangeException(paramName, FormattableString.Invariant($"{what} would be {rows}×{columns} = {(Int128)rows * columns} values, more than the {Array.MaxLength} a dense matrix holds."));
        }
    }

    /// <summary>
    /// Refuses an element type other than float and double with <see cref="NotSupportedException"/>: the generic
    /// constraint admits others (<see cref="Half"/>), which MathNet's matrices cannot hold.
    /// </summary>
    public static void Precision<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"NeuralNet computes in float or double, but {typeof(T).Name} was asked for.");
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
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(data))
        {
            return;
        }

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
