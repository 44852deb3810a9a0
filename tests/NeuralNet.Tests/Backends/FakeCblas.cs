using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// A native CBLAS library written in C#: <c>cblas_sgemm</c> and <c>cblas_dgemm</c> as unmanaged entry points, exact
/// by default and wrong in one chosen way when asked, so the checks NeuralNet runs on a native library can be tested
/// through the same <see cref="NativeBlasBackend"/> that calls OpenBLAS.
/// </summary>
internal static unsafe class FakeCblas
{
    /// <summary>How the fake library's products go wrong.</summary>
    internal enum Fault
    {
        /// <summary>Correct products.</summary>
        None,

        /// <summary>Single precision only: the first entry of C is off by 3% of the size of its terms.</summary>
        FloatEntryOff,

        /// <summary>Each entry leaves out its last term (in both precisions).</summary>
        DropsLastTerm,

        /// <summary>Reads Bᵀ as if it were B (the same storage, the wrong element order).</summary>
        IgnoresTransposeB,

        /// <summary>Treats beta as 0: accumulating products overwrite C instead.</summary>
        IgnoresBeta,

        /// <summary>Computes beta·C even when beta is 0, so NaN in C survives (reference BLAS skips C then).</summary>
        ReadsCWhenBetaIsZero,
    }

    /// <summary>The fault the library has now; tests that set it run in the <see cref="BackendSettings"/> collection.</summary>
    public static Fault Current { get; set; }

    /// <summary>A backend over the fake library with <paramref name="fault"/>, named like OpenBLAS.</summary>
    public static NativeBlasBackend Backend(Fault fault)
    {
        Current = fault;
        delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm = &Sgemm;
        delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemm = &Dgemm;
        return new NativeBlasBackend("openblas", "openblas (Fake kernel, a test's)", (nint)sgemm, (nint)dgemm);
    }

    [UnmanagedCallersOnly]
    private static void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (Current == Fault.FloatEntryOff && m > 0 && n > 0)
        {
            // Off by 3% of the size of its terms, Σ_p |a_0p·b_p0|, the measure the check reports.
            float size = 0;
            for (int p = 0; p < k; p++)
            {
                size += MathF.Abs((transA == 112 ? a[p] : a[p * lda]) * (transB == 112 ? b[p * ldb] : b[p]));
            }

            c[0] += 0.03f * size;
        }
    }

    [UnmanagedCallersOnly]
    private static void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
        => Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Column-major C = alpha·op(A)·op(B) + beta·C, op transposing for 112, as CBLAS defines it (the order is always
    /// column-major here: NativeBlasBackend asks for nothing else, and nothing may throw out of an unmanaged entry point).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm<T>(int transA, int transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int terms = Current == Fault.DropsLastTerm ? k - 1 : k;
        bool transposedB = transB == 112 && Current != Fault.IgnoresTransposeB;

        // B read as untransposed k×n; the faulty read of a transposed B keeps within its n×k storage.
        int columnStep = transB == 112 ? k : ldb;
        T scale = Current == Fault.IgnoresBeta ? T.Zero : beta;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T sum = T.Zero;
                for (int p = 0; p < terms; p++)
                {
                    sum += (transA == 112 ? a[(i * lda) + p] : a[(p * lda) + i]) * (transposedB ? b[(p * ldb) + j] : b[(j * columnStep) + p]);
                }

                T* entry = c + (j * ldc) + i;
                *entry = scale == T.Zero && Current != Fault.ReadsCWhenBetaIsZero ? alpha * sum : (alpha * sum) + (scale * *entry);
            }
        }
    }
}
