using System.Numerics;
using System.Runtime.Intrinsics;

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
/// A native library is trusted only after proof: at first use NeuralNet loads it, chooses its kernel where the
/// environment leaves that open, and checks its products against a managed reference (the product's definition, summed
/// in double); one that disagrees, or whose product fails, is refused and the managed kernel runs instead.
/// <see cref="Description"/> says which backend and kernel run, who chose the kernel, and why a native library is not
/// used when it is not.
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

    /// <summary>
    /// The OpenBLAS backend, or null when <c>libopenblas</c> cannot be loaded on this machine or its products disagreed
    /// with the managed reference (then the default <see cref="Current"/>'s <see cref="Description"/> says how).
    /// </summary>
    /// <remarks>
    /// The first use loads OpenBLAS, sets its kernel and checks it (about 25 ms on a 2-core AMD EPYC, 5 ms of them the
    /// check). When the environment does not set <c>OPENBLAS_CORETYPE</c>, NeuralNet asks for the kernel the CPU supports
    /// (SkylakeX with AVX-512, Haswell with AVX2 and FMA), since OpenBLAS builds that do not recognise a CPU fall back to a
    /// kernel several times slower; a value the environment sets, even an empty one, is kept (empty lets OpenBLAS detect
    /// the CPU itself). The check runs a few products in float and double, every transposition, overwriting and
    /// accumulating, and refuses a library whose results differ from the managed reference by more than rounding explains.
    /// The backend runs OpenBLAS single-threaded and splits large products across <see cref="ThreadCount"/> threads itself,
    /// so its results are bit-identical run to run for a given thread count.
    /// </remarks>
    public static MatrixBackend? OpenBlas => OpenBlasLibrary.Candidate.Backend;

    /// <summary>
    /// The backend NeuralNet uses. By default, the managed kernel where the CPU runs 512-bit vectors (it is the faster
    /// there); elsewhere <see cref="OpenBlas"/> when it loads, passes its check and runs a vectorised kernel, and otherwise
    /// the managed kernel (named <c>managed</c>, computing exactly what <see cref="Managed"/>
    /// does), whose <see cref="Description"/> then adds why OpenBLAS is not used. The environment variable
    /// <c>NEURALNET_BACKEND</c> (<c>managed</c> or <c>openblas</c>) overrides the default; with <c>managed</c>,
    /// OpenBLAS is not loaded. Change it between training runs, not during one.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    /// <exception cref="InvalidOperationException">
    /// Read first while <c>NEURALNET_BACKEND</c> names neither backend, or names <c>openblas</c> where it cannot be
    /// loaded or failed its check.
    /// </exception>
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

    /// <summary>
    /// What the backend runs on this machine, in one line: for OpenBLAS, which kernel and who chose it (such as
    /// <c>openblas (SkylakeX kernel, chosen by NeuralNet from the CPU's AVX-512)</c>, <c>… set by OPENBLAS_CORETYPE</c>,
    /// <c>… detected by OpenBLAS</c> or <c>… loaded into the process before NeuralNet</c>); for the managed kernel, its
    /// vector width, and as the default, why OpenBLAS is not used (such as <c>managed (256-bit vectors); openblas refused:
    /// its SkylakeX kernel (chosen by NeuralNet from the CPU's AVX-512) disagreed with the managed reference by 3e-2 of
    /// the terms' size (allowed 1.6e-5) on 37×129×65 (float, A·B, beta 0)</c>, <c>… openblas not found (…)</c> or
    /// <c>… openblas not used: its Prescott kernel (set by OPENBLAS_CORETYPE) is an SSE-era kernel, slower than the
    /// managed one</c>).
    /// </summary>
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

    /// <summary>
    /// The backend <c>NEURALNET_BACKEND</c> = <paramref name="requested"/> asks for among the managed kernel and the
    /// checked <paramref name="natives"/>; by default (null or blank) the first native library the default may use,
    /// else the managed kernel with a note saying why each native library is not used.
    /// </summary>
    internal static MatrixBackend Select(string? requested, params NativeCandidate[] natives)
        => Select(requested, [.. natives.Select(native => (native.Name, (Func<NativeCandidate>)(() => native)))]);

    /// <summary>
    /// <see cref="Select(string?, NativeCandidate[])"/> over libraries loaded and checked only when the choice needs
    /// them: asking for the managed kernel, or for another library, leaves a library alone.
    /// </summary>
    internal static MatrixBackend Select(string? requested, (string Name, Func<NativeCandidate> Load)[] natives)
    {
        string name = requested?.Trim().ToLowerInvariant() ?? "";
        if (name.Length == 0)
        {
            var refused = new List<string>();
            foreach ((_, Func<NativeCandidate> load) in natives)
            {
                NativeCandidate native = load();
                if (native is { Backend: { } backend, Problem: null })
                {
                    return backend;
                }

                refused.Add($"{native.Name} {native.Problem}");
            }

            return refused.Count == 0 ? Managed : new ManagedFallback(string.Join("; ", refused));
        }

        if (name == ManagedBackend.Instance.Name)
        {
            return Managed;
        }

        (string Name, Func<NativeCandidate> Load) named = natives.FirstOrDefault(native => native.Name == name);
        if (named.Load is null)
        {
            throw new InvalidOperationException($"NEURALNET_BACKEND must be '{ManagedBackend.Instance.Name}' or {string.Join(" or ", natives.Select(native => $"'{native.Name}'"))}, but got '{requested}'.");
        }

        NativeCandidate chosen = named.Load();
        return chosen.Backend ?? throw new InvalidOperationException($"NEURALNET_BACKEND={requested}, but {chosen.Name} is {chosen.Problem}.");
    }

    private static MatrixBackend Default()
    {
        string? requested = Environment.GetEnvironmentVariable("NEURALNET_BACKEND");

        // Where 512-bit vectors run natively, the managed kernel trains the reference MLP faster than OpenBLAS's AVX-512
        // kernel at every batch size measured (benchmarks/compare.sh on a 2-core AMD EPYC: 53 against 57 ms per epoch at
        // batch 128, 28 against 47 at full batch), so it is the default there and OpenBLAS is not even loaded.
        MatrixBackend backend = string.IsNullOrWhiteSpace(requested) && Vector512.IsHardwareAccelerated
            ? Managed
            : Select(requested, [(OpenBlasLibrary.Name, () => OpenBlasLibrary.Candidate)]);
        backend.ApplyThreadCount(_threadCount);
        return backend;
    }
}
