using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Internal;

/// <summary>
/// Access to the column-major arrays behind MathNet dense matrices, where the engine does
/// its element-wise work without MathNet's per-element indexer.
/// </summary>
internal static class Storage
{
    /// <summary>The matrix's own column-major array; the matrix must be dense.</summary>
    public static T[] Of<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => matrix.AsColumnMajorArray()
           ?? throw new ArgumentException($"Expected a dense matrix, but got {matrix.GetType().Name}.", nameof(matrix));

    /// <summary>
    /// The matrix's values in column-major order: its own array when it is dense, otherwise a
    /// copy (returned in <paramref name="copy"/> so the caller can see one was made).
    /// </summary>
    public static ReadOnlySpan<T> Read<T>(Matrix<T> matrix, out T[]? copy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? own = matrix.AsColumnMajorArray();
        copy = own is null ? matrix.ToColumnMajorArray() : null;
        return own ?? copy!;
    }

    /// <summary>A dense matrix holding the same values, or the matrix itself when it already is one.</summary>
    public static Matrix<T> Dense<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => matrix.AsColumnMajorArray() is null ? Matrix<T>.Build.DenseOfMatrix(matrix) : matrix;

    /// <summary>A new rows × columns matrix of zeros, refused before allocation when no dense matrix can hold it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">rows × columns exceeds <see cref="Array.MaxLength"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static Matrix<T> NewDense<T>(int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        Guard.MatrixSize(rows, columns, "A matrix", nameof(rows));
        return Matrix<T>.Build.Dense(rows, columns);
    }

    /// <summary>Whether every value is finite; a dense matrix is checked in place, vectorised.</summary>
    public static bool IsFinite<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(Read(matrix, out _));
}
