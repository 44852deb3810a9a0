using System.Numerics;

namespace NeuralNet.Backends;

/// <summary>
/// One calling thread's product (<see cref="ManagedGemm.Compute{T}"/>), split by rows or by columns of C for
/// <see cref="ColumnSplit"/>; reused so a split product allocates nothing.
/// </summary>
internal sealed class ManagedJob<T> : ColumnSplit.IColumnJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ManagedJob<T>? _forThisThread;

    private bool _transposeA;
    private bool _transposeB;
    private bool _byRows;
    private int _m;
    private int _n;
    private int _k;
    private T[]? _a;
    private T[]? _b;
    private T[]? _c;
    private T _beta;

    public static ManagedJob<T> ForThisThread => _forThisThread ??= new ManagedJob<T>();

    /// <summary>Sets the product; <paramref name="byRows"/> says whether the chunks are ranges of rows of C rather than of columns.</summary>
    public void Set(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c, bool byRows)
        => (_transposeA, _transposeB, _m, _n, _k, _a, _b, _beta, _c, _byRows) = (transposeA, transposeB, m, n, k, a, b, beta, c, byRows);

    public void Clear() => (_a, _b, _c) = (null, null, null);

    public void Run(int first, int count)
    {
        if (_byRows)
        {
            ManagedGemm.Compute(_transposeA, _transposeB, _m, _n, _k, _a!, _b!, _beta, _c!, first, first + count, 0, _n);
        }
        else
        {
            ManagedGemm.Compute(_transposeA, _transposeB, _m, _n, _k, _a!, _b!, _beta, _c!, 0, _m, first, first + count);
        }
    }
}
