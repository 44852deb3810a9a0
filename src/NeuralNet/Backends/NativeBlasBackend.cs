using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Backends;

/// <summary>
/// Matrix products in a native CBLAS library (<c>cblas_sgemm</c> and <c>cblas_dgemm</c>), such as OpenBLAS. Products
/// with a single row (batch size 1) go to the managed kernel: a 1-row GEMM call costs several times more.
/// </summary>
/// <remarks>
/// The library itself runs single-threaded (its loader sees to that): left to its own threading, a library partitions
/// a product differently when other threads are calling it at the same time, so results would depend on what else the
/// process is doing. Instead, large products are split by columns of C across <see cref="MatrixBackend.ThreadCount"/>
/// threads here, in a partition fixed by the shapes and the thread count alone.
/// </remarks>
internal sealed unsafe class NativeBlasBackend : MatrixBackend
{
    private const int ColumnMajor = 102;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;
    private int _threads = Environment.ProcessorCount;

    /// <summary>A backend calling the CBLAS functions at <paramref name="sgemm"/> and <paramref name="dgemm"/>.</summary>
    public NativeBlasBackend(string name, string description, nint sgemm, nint dgemm)
    {
        if (sgemm == 0 || dgemm == 0)
        {
            throw new ArgumentException("Expected the addresses of cblas_sgemm and cblas_dgemm, but got a null address.");
        }

        Name = name;
        Description = description;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemm;
    }

    public override string Name { get; }

    public override string Description { get; }

    /// <summary>The backend over <paramref name="library"/>'s CBLAS exports, or null when it lacks one of them.</summary>
    public static NativeBlasBackend? FromLibrary(string name, string description, nint library)
        => NativeLibrary.TryGetExport(library, "cblas_sgemm", out nint sgemm) && NativeLibrary.TryGetExport(library, "cblas_dgemm", out nint dgemm)
            ? new NativeBlasBackend(name, description, sgemm, dgemm)
            : null;

    internal override void ApplyThreadCount(int threads) => _threads = threads;

    internal override void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c)
    {
        if (m == 1)
        {
            // OpenBLAS's matrix-vector kernels round differently depending on the arrays' memory alignment, which
            // changes from run to run; a single row is a few dot products, which the managed kernel does as fast
            // and always in the same order.
            ManagedBackend.Instance.Multiply(transposeA, transposeB, m, n, k, a, b, beta, c);
            return;
        }

        int chunks = ColumnSplit.Chunks(_threads, m, n, k);
        if (chunks > 1)
        {
            Job<T> job = Job<T>.ForThisThread;
            job.Set(this, transposeA, transposeB, m, k, a, b, beta, c, transposeB ? n : k);
            ColumnSplit.Run(job, chunks, n);
            job.Clear();
            return;
        }

        Gemm(transposeA, transposeB, m, n, k, a, 0, b, 0, transposeB ? n : k, beta, c, 0);
    }

    private void Gemm<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, int offsetA, T[] b, int offsetB, int ldb, T beta, T[] c, int offsetC)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lda = transposeA ? k : m;
        fixed (T* a0 = a)
        fixed (T* b0 = b)
        fixed (T* c0 = c)
        {
            T* pa = a0 + offsetA;
            T* pb = b0 + offsetB;
            T* pc = c0 + offsetC;
            int ta = transposeA ? Trans : NoTrans;
            int tb = transposeB ? Trans : NoTrans;
            if (typeof(T) == typeof(float))
            {
                _sgemm(ColumnMajor, ta, tb, m, n, k, 1f, (float*)pa, lda, (float*)pb, ldb, float.CreateTruncating(beta), (float*)pc, m);
            }
            else
            {
                _dgemm(ColumnMajor, ta, tb, m, n, k, 1d, (double*)pa, lda, (double*)pb, ldb, double.CreateTruncating(beta), (double*)pc, m);
            }
        }
    }

    /// <summary>One calling thread's product, split by columns; reused so a split product allocates nothing.</summary>
    private sealed class Job<T> : ColumnSplit.IColumnJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Job<T>? _forThisThread;

        private NativeBlasBackend? _backend;
        private bool _transposeA;
        private bool _transposeB;
        private int _m;
        private int _k;
        private int _ldb;
        private T[]? _a;
        private T[]? _b;
        private T[]? _c;
        private T _beta;

        public static Job<T> ForThisThread => _forThisThread ??= new Job<T>();

        public void Set(NativeBlasBackend backend, bool transposeA, bool transposeB, int m, int k, T[] a, T[] b, T beta, T[] c, int ldb)
            => (_backend, _transposeA, _transposeB, _m, _k, _a, _b, _beta, _c, _ldb) = (backend, transposeA, transposeB, m, k, a, b, beta, c, ldb);

        public void Clear() => (_a, _b, _c) = (null, null, null);

        public void Run(int first, int count)
        {
            // Columns [first, first + count) of C need the same columns of op(B): an offset into B's storage.
            int offsetB = _transposeB ? first : first * _ldb;
            _backend!.Gemm(_transposeA, _transposeB, _m, count, _k, _a!, 0, _b!, offsetB, _ldb, _beta, _c!, first * _m);
        }
    }
}
