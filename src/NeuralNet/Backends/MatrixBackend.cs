using System.Numerics;

namespace NeuralNet.Backends;

/// <summary>
/// Where NeuralNet's matrix products run: a native BLAS (OpenBLAS, found on the system at run time) or the
/// managed SIMD kernel that needs nothing but .NET. Every layer's forward and backward pass goes through the
/// current backend; element-wise work is vectorised in managed code either way.
/// </summary>
/// <remarks>
/// <para>
/// The choice is NeuralNet's own: it never changes MathNet.Numerics' process-wide linear-algebra provider, so a
/// host application's other MathNet code is unaffected.
/// </para>
/// <para>
/// Results: each backend is deterministic for a given thread count, but the two backends (and different thread
/// counts on the native one) sum products in different orders, so their results differ in the last bits.
/// </para>
/// </remarks>
public abstract class MatrixBackend
{
    private static MatrixBackend? _current;
    private static int _threadCount = Environment.ProcessorCount;

    private protected MatrixBackend()
    {
    }

    /// <summary>The managed SIMD backend, always available.</summary>
    public static MatrixBackend Managed => ManagedBackend.Instance;

    /// <summary>The OpenBLAS backend, or null when <c>libopenblas</c> cannot be loaded on this machine.</summary>
    public static MatrixBackend? OpenBlas => OpenBlasBackend.Instance;

    /// <summary>
    /// The backend NeuralNet uses. Defaults to <see cref="OpenBlas"/> when it loads and runs a vectorised kernel for
    /// this CPU, <see cref="Managed"/> otherwise (an OpenBLAS that does not recognise the CPU falls back to an
    /// SSE-era kernel slower than the managed one); the environment variable <c>NEURALNET_BACKEND</c>
    /// (<c>managed</c> or <c>openblas</c>) overrides the default. Change it between training runs, not during one.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public static MatrixBackend Current
    {
        get => _current ??= Default();
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _current = value;
            value.ApplyThreadCount(_threadCount);
        }
    }

    /// <summary>
    /// The number of threads the backend may use for one product; defaults to the processor count. NeuralNet runs
    /// no parallel work of its own around a product, so this is the whole budget and nothing is oversubscribed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public static int ThreadCount
    {
        get => _threadCount;
        set
        {
            Internal.Guard.Positive(value, nameof(ThreadCount));
            _threadCount = value;
            Current.ApplyThreadCount(value);
        }
    }

    /// <summary>A short name: <c>managed</c> or <c>openblas</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the backend runs on this machine, such as <c>openblas (Haswell kernel)</c> or <c>managed (512-bit vectors)</c>.</summary>
    public abstract string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// <c>C = op(A)·op(B) + beta·C</c> on column-major storage, where op transposes when asked. A is m×k after op,
    /// B is k×n after op, C is m×n; <paramref name="a"/> and <paramref name="b"/> are stored with their own shape.
    /// </summary>
    internal abstract void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T[] a, T[] b, T beta, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Tells the backend how many threads it may use.</summary>
    internal virtual void ApplyThreadCount(int threads)
    {
    }

    private static MatrixBackend Default()
    {
        string? requested = Environment.GetEnvironmentVariable("NEURALNET_BACKEND");
        MatrixBackend backend = requested?.Trim().ToUpperInvariant() switch
        {
            "MANAGED" => Managed,
            "OPENBLAS" => OpenBlas ?? throw new InvalidOperationException("NEURALNET_BACKEND=openblas, but libopenblas could not be loaded; install libopenblas0-pthread."),
            _ => OpenBlasBackend.Instance is { HasFastKernel: true } openBlas ? openBlas : Managed,
        };
        backend.ApplyThreadCount(_threadCount);
        return backend;
    }
}
