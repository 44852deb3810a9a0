using System.Runtime.InteropServices;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Loads the native libraries <see cref="NativeLibraryBenchmarks"/> compares, each as a backend that NeuralNet would
/// run the same way as OpenBLAS (<see cref="NativeBlasBackend"/>: single-threaded library, columns split by NeuralNet).
/// </summary>
internal static unsafe class NativeLibraries
{
    private const string Blis = "libblis.so.4";
    private const string OneDnn = "libdnnl.so.2";

    private static delegate* unmanaged<byte, byte, long, long, long, float, float*, long, float*, long, float, float*, long, int> _dnnlSgemm;

    /// <summary>The names of the libraries installed here: managed, OpenBLAS with four kernels, BLIS and oneDNN.</summary>
    public static IEnumerable<string> Available()
    {
        yield return "managed";
        if (Installed("libopenblas.so.0"))
        {
            yield return "openblas:detected";
            yield return "openblas:SkylakeX";
            yield return "openblas:Haswell";

            // The SSE3 kernel OpenBLAS falls back to on CPUs it does not recognise, for comparison.
            yield return "openblas:Prescott";
        }

        if (Installed(Blis))
        {
            yield return "blis";
        }

        if (Installed(OneDnn))
        {
            yield return "onednn";
        }
    }

    /// <summary>Loads <paramref name="library"/> (one of <see cref="Available"/>) into this process and returns its backend.</summary>
    /// <exception cref="InvalidOperationException">It cannot be loaded, or OpenBLAS runs another kernel than asked.</exception>
    public static MatrixBackend Load(string library)
    {
        if (library == "managed")
        {
            return MatrixBackend.Managed;
        }

        if (library.StartsWith("openblas:", StringComparison.Ordinal))
        {
            // An empty value keeps NeuralNet out of the choice and makes OpenBLAS detect the CPU itself.
            string kernel = library["openblas:".Length..];
            NativeEnvironment.Set(OpenBlasKernel.Variable, kernel == "detected" ? string.Empty : kernel);
            MatrixBackend openBlas = MatrixBackend.OpenBlas ?? throw new InvalidOperationException($"OpenBLAS is {OpenBlasLibrary.Candidate.Problem}.");
            if (kernel != "detected" && !openBlas.Description.StartsWith($"openblas ({kernel} kernel", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Asked OpenBLAS for {kernel}, but it runs: {openBlas.Description}.");
            }

            return openBlas;
        }

        if (library == "blis")
        {
            nint blis = NativeLibrary.Load(Blis);
            ((delegate* unmanaged<long, void>)NativeLibrary.GetExport(blis, "bli_thread_set_num_threads"))(1);
            int arch = ((delegate* unmanaged<int>)NativeLibrary.GetExport(blis, "bli_arch_query_id"))();
            string name = Marshal.PtrToStringAnsi(((delegate* unmanaged<int, nint>)NativeLibrary.GetExport(blis, "bli_arch_string"))(arch)) ?? "unknown";
            return NativeBlasBackend.FromLibrary("blis", $"blis ({name} configuration)", blis) ?? throw new InvalidOperationException("BLIS exports no CBLAS.");
        }

        if (library == "onednn")
        {
            // oneDNN threads through OpenMP, which reads OMP_NUM_THREADS when it starts: one thread per call.
            NativeEnvironment.Set("OMP_NUM_THREADS", "1");
            nint dnnl = NativeLibrary.Load(OneDnn);
            _dnnlSgemm = (delegate* unmanaged<byte, byte, long, long, long, float, float*, long, float*, long, float, float*, long, int>)NativeLibrary.GetExport(dnnl, "dnnl_sgemm");
            delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm = &OneDnnSgemm;
            delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemm = &NoDgemm;
            return new NativeBlasBackend("onednn", "onednn (dnnl_sgemm, float only)", (nint)sgemm, (nint)dgemm);
        }

        throw new InvalidOperationException($"Unknown library '{library}'; expected one of: {string.Join(", ", Available())}.");
    }

    private static bool Installed(string name)
    {
        if (!NativeLibrary.TryLoad(name, out nint handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    /// <summary>
    /// CBLAS's column-major <c>cblas_sgemm</c> on oneDNN's row-major <c>dnnl_sgemm</c>: a column-major C (m×n) is a
    /// row-major Cᵀ (n×m) = op(B)ᵀ·op(A)ᵀ, and each column-major operand is its row-major transpose.
    /// </summary>
    [UnmanagedCallersOnly]
    private static void OneDnnSgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => _ = _dnnlSgemm(transB == 112 ? (byte)'T' : (byte)'N', transA == 112 ? (byte)'T' : (byte)'N', n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);

    /// <summary>oneDNN has no double-precision GEMM; the benchmarks run float only, so this never runs.</summary>
    [UnmanagedCallersOnly]
    private static void NoDgemm(int order, int transA, int transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
    }
}
