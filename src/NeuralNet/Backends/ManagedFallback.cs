namespace NeuralNet.Backends;

/// <summary>
/// The managed kernel as the default when a native library was found wanting: it computes exactly what
/// <see cref="ManagedBackend"/> does, and its description adds why the native library is not used.
/// </summary>
internal sealed class ManagedFallback(string note) : MatrixBackend
{
    public override string Name => ManagedBackend.Instance.Name;

    public override string Description => $"{ManagedBackend.Instance.Description}; {note}";

    internal override void ApplyThreadCount(int threads) => ManagedBackend.Instance.ApplyThreadCount(threads);

    internal override void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c)
        => ManagedBackend.Instance.Multiply(transposeA, transposeB, m, n, k, a, b, beta, c);
}
