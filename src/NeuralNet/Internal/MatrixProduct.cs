using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace NeuralNet.Internal;

/// <summary>
/// The one place where the engine multiplies matrices: <c>C = op(A)·op(B) + beta·C</c> on dense
/// column-major storage. Every layer goes through here, so a faster backend (a native BLAS or a
/// SIMD kernel) replaces this body without touching layers or the public API.
/// </summary>
internal static class MatrixProduct
{
    /// <summary>
    /// Computes <c>C = op(A)·op(B) + beta·C</c>. With <paramref name="accumulate"/> false, C is overwritten;
    /// with true, the product is added to what C holds (gradients accumulate this way).
    /// </summary>
    public static void Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // MathNet's provider implements the generic interface for float and double; the host's choice of
        // provider is respected, never changed.
        var provider = (ILinearAlgebraProvider<T>)LinearAlgebraControl.Provider;
        provider.MatrixMultiplyWithUpdate(
            transposeA ? Transpose.Transpose : Transpose.DontTranspose,
            transposeB ? Transpose.Transpose : Transpose.DontTranspose,
            T.One,
            Storage.Of(a), a.RowCount, a.ColumnCount,
            Storage.Of(b), b.RowCount, b.ColumnCount,
            accumulate ? T.One : T.Zero,
            Storage.Of(c));
    }
}
