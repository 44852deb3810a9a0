using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Backends;

namespace NeuralNet.Internal;

/// <summary>
/// The one place where the engine multiplies matrices: <c>C = op(A)·op(B)</c> or <c>C += op(A)·op(B)</c> on the
/// dense column-major storage of MathNet matrices, handed to the current <see cref="MatrixBackend"/>.
/// </summary>
internal static class MatrixProduct
{
    /// <summary>
    /// Computes <c>C = op(A)·op(B)</c>, or with <paramref name="accumulate"/> adds it to what C holds (gradients
    /// accumulate this way). Shapes are the callers' responsibility: layers check them at their public boundary.
    /// </summary>
    public static void Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = c.RowCount;
        int n = c.ColumnCount;
        int k = transposeA ? a.RowCount : a.ColumnCount;
        MatrixBackend.Current.Multiply(transposeA, transposeB, m, n, k, Storage.Of(a), Storage.Of(b), accumulate ? T.One : T.Zero, Storage.Of(c));
    }
}
