using System.Numerics;

namespace NeuralNet.Backends;

/// <summary>
/// One calling thread's product (<see cref="ManagedBackend.Columns{T}"/>), split by columns for
/// <see cref="ColumnSplit"/>; reused so a split product allocates nothing.
/// </summary>
internal sealed class ManagedJob<T> : ColumnSplit.IColumnJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ManagedJob<T>? _forThisThread;

    private int _m;
    private int _k;
    private int _rowStep;
    private int _columnStep;
    private T[]? _a;
    private T[]? _b;
    private T[]? _c;
    private T _beta;

    public static ManagedJob<T> ForThisThread => _forThisThread ??= new ManagedJob<T>();

    public void Set(int m, int k, T[] a, T[] b, int rowStep, int columnStep, T beta, T[] c)
        => (_m, _k, _a, _b, _rowStep, _columnStep, _beta, _c) = (m, k, a, b, rowStep, columnStep, beta, c);

    public void Clear() => (_a, _b, _c) = (null, null, null);

    public void Run(int first, int count)
        => ManagedBackend.Columns(_m, _k, _a.AsSpan(0, _m * _k), _b!, _rowStep, _columnStep, _beta, _c!, first, first + count);
}
