using System.Numerics;

namespace NeuralNet.Backends;

/// <summary>
/// One calling thread's dot-product product (<see cref="ManagedDotProducts.ColumnDots{T}"/>), split by columns for
/// <see cref="ColumnSplit"/>; reused like <see cref="ManagedJob{T}"/>.
/// </summary>
internal sealed class ManagedDotJob<T> : ColumnSplit.IColumnJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ManagedDotJob<T>? _forThisThread;

    private int _m;
    private int _k;
    private T[]? _a;
    private T[]? _b;
    private T[]? _c;
    private T _beta;

    public static ManagedDotJob<T> ForThisThread => _forThisThread ??= new ManagedDotJob<T>();

    public void Set(int m, int k, T[] a, T[] b, T beta, T[] c) => (_m, _k, _a, _b, _beta, _c) = (m, k, a, b, beta, c);

    public void Clear() => (_a, _b, _c) = (null, null, null);

    public void Run(int first, int count) => ManagedDotProducts.ColumnDots(_m, _k, _a!, _b!, _beta, _c!, first, first + count);
}
