using System.Runtime.InteropServices;

namespace NeuralNet.Backends;

/// <summary>
/// Loads OpenBLAS from the system (Debian: <c>libopenblas0-pthread</c>) once, at first use: chooses its kernel
/// (<see cref="OpenBlasKernel"/>), runs it single-threaded, and checks it against the managed reference
/// (<see cref="NativeProof"/>) before anything trusts it.
/// </summary>
/// <remarks>
/// OpenBLAS reads <c>OPENBLAS_CORETYPE</c> from the native environment while it loads. When NeuralNet chooses the
/// kernel, or the value was set only in .NET's copy of the environment (<see cref="Environment.SetEnvironmentVariable(string, string)"/>,
/// which native code never sees), it is set natively for the load and removed again right after, so the process
/// environment, and what child processes inherit, is left as it was. When the process has loaded OpenBLAS already
/// (another library did), NeuralNet uses that copy and only reads which kernel it runs; it still sets that copy's
/// thread count to 1, as for its own (Debian's 0.3.21 has no per-thread setting), because NeuralNet's results are
/// bit-identical run to run only with single-threaded library calls.
/// </remarks>
internal static class OpenBlasLibrary
{
    /// <summary>The backend's name, as <c>NEURALNET_BACKEND</c> spells it.</summary>
    public const string Name = "openblas";

    private static readonly string[] UnixNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"];
    private static readonly string[] Names = [.. UnixNames, "libopenblas.dll", "openblas"];
    private static readonly Lazy<NativeCandidate> Loaded = new(Load);

    /// <summary>OpenBLAS as loaded and checked on this machine.</summary>
    public static NativeCandidate Candidate => Loaded.Value;

    private static unsafe NativeCandidate Load()
    {
        CpuFeatures cpu = CpuFeatures.Current;
        (nint library, KernelSource source, string? request, string? environmentValue) = Open(cpu);
        if (library == 0)
        {
            return NativeCandidate.Missing(Name, "not found (Debian: apt-get install libopenblas0-pthread)");
        }

        string coreName = NativeLibrary.TryGetExport(library, "openblas_get_corename", out nint getCoreName)
            ? Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)getCoreName)()) ?? "unknown"
            : "unknown";
        if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint setThreads))
        {
            ((delegate* unmanaged<int, void>)setThreads)(1);
        }

        string origin = OpenBlasKernel.Origin(source, coreName, request, environmentValue, cpu);
        NativeBlasBackend? backend = NativeBlasBackend.FromLibrary(Name, $"openblas ({coreName} kernel, {origin})", library);
        return backend is null
            ? NativeCandidate.Missing(Name, "not used: the library it found exports no cblas_sgemm and cblas_dgemm")
            : NativeCandidate.Prove(backend, $"its {coreName} kernel ({origin})", OpenBlasKernel.IsFast(coreName));
    }

    /// <summary>Finds OpenBLAS loaded in the process, or loads it with the kernel <see cref="OpenBlasKernel.Choose"/> asks for.</summary>
    private static (nint Library, KernelSource Source, string? Request, string? EnvironmentValue) Open(CpuFeatures cpu)
    {
        string? environmentValue = NativeEnvironment.Get(OpenBlasKernel.Variable);
        foreach (string name in UnixNames)
        {
            nint loaded = NativeEnvironment.AlreadyLoaded(name);
            if (loaded != 0)
            {
                return (loaded, KernelSource.AlreadyLoaded, null, environmentValue);
            }
        }

        // A value set only in .NET's copy of the environment is the user's choice too: hand it to OpenBLAS. (Where there
        // is no native environment to reach, on Windows, .NET's copy is the environment.)
        string? dotnetValue = Environment.GetEnvironmentVariable(OpenBlasKernel.Variable);
        string? toSet = environmentValue is null && NativeEnvironment.IsAvailable ? dotnetValue : null;
        environmentValue ??= dotnetValue;

        (string? request, KernelSource source) = OpenBlasKernel.Choose(environmentValue, cpu);
        toSet ??= request;
        bool set = toSet is not null && NativeEnvironment.Set(OpenBlasKernel.Variable, toSet);
        if (!set && source == KernelSource.NeuralNet)
        {
            // No native environment to set (Windows): OpenBLAS detects the CPU itself.
            (request, source) = (null, KernelSource.OpenBlas);
        }

        try
        {
            foreach (string name in Names)
            {
                if (NativeLibrary.TryLoad(name, out nint library))
                {
                    return (library, source, request, environmentValue);
                }
            }

            return (0, source, request, environmentValue);
        }
        finally
        {
            // OpenBLAS has read it by now (in the library's constructor); leave the environment as it was.
            if (set)
            {
                NativeEnvironment.Unset(OpenBlasKernel.Variable);
            }
        }
    }
}
