namespace NeuralNet.Backends;

/// <summary>
/// Which OpenBLAS kernel NeuralNet asks for, and who chose it: a pure function of the environment's
/// <c>OPENBLAS_CORETYPE</c> and the CPU's features, so the rule can be tested on any machine.
/// </summary>
/// <remarks>
/// <para>
/// OpenBLAS builds with run-time CPU dispatch (Debian's are) pick their kernel once, while the library loads: from
/// <c>OPENBLAS_CORETYPE</c> when it is set, else from the CPU model. Debian's 0.3.21 does not know the model numbers
/// of many virtualised Xeons and falls back to its SSE3 "Prescott" kernel, about 4 times slower than its AVX-512
/// "SkylakeX" one on NeuralNet's products.
/// </para>
/// <para>
/// The rule. A value the environment sets, even an empty one, is kept: some machines set it because other kernels
/// compute wrong results or crash there (an empty or unknown name makes OpenBLAS detect the CPU itself). Otherwise
/// NeuralNet asks for the widest kernel whose instructions the CPU and the operating system provably support:
/// SkylakeX with AVX-512 (F, BW, VL, DQ), Haswell with AVX2 and FMA, nothing (OpenBLAS detects) below that or off x86.
/// </para>
/// <para>
/// Why always, and not only when OpenBLAS would fall back: which kernel OpenBLAS would pick cannot be known without
/// loading it (it would mean copying each OpenBLAS version's tables of CPU models), and it cannot be loaded a second
/// time. Asking always is sound because the kernel asked for only uses instructions the CPU and the operating system
/// support, it is the one OpenBLAS itself picks for the common CPUs of each kind (SkylakeX for AVX-512 Xeons; Haswell
/// and Zen, which are the same GEMM code, for AVX2 ones), and it still has to pass <see cref="NativeProof"/> before
/// it is used. Where the detection works it costs nothing measurable: on a 2-core AMD EPYC with AVX-512, which
/// OpenBLAS 0.3.21 detects as Cooperlake, the SkylakeX kernel ran the MLP's products within 2% of Cooperlake's
/// (benchmarks' <c>NativeLibraryBenchmarks</c>).
/// </para>
/// </remarks>
internal static class OpenBlasKernel
{
    /// <summary>The environment variable OpenBLAS reads its kernel from.</summary>
    public const string Variable = "OPENBLAS_CORETYPE";

    /// <summary>
    /// The kernel to ask for (null to leave <c>OPENBLAS_CORETYPE</c> as it is) and who chose it, given the
    /// environment's value (null when unset) and the CPU's features.
    /// </summary>
    public static (string? Request, KernelSource Source) Choose(string? environmentValue, CpuFeatures cpu)
    {
        if (environmentValue is not null)
        {
            return (null, KernelSource.Environment);
        }

        if (cpu.HasAvx512)
        {
            return ("SkylakeX", KernelSource.NeuralNet);
        }

        return cpu.HasAvx2AndFma ? ("Haswell", KernelSource.NeuralNet) : (null, KernelSource.OpenBlas);
    }

    /// <summary>
    /// How a description names the origin of the kernel <paramref name="coreName"/> that OpenBLAS reports, given who
    /// chose, what was asked for and the environment's value. A request OpenBLAS ignored (a build without run-time
    /// dispatch, or a name it does not know) is reported as its own detection.
    /// </summary>
    public static string Origin(KernelSource source, string coreName, string? request, string? environmentValue, CpuFeatures cpu)
    {
        string? asked = source switch
        {
            KernelSource.NeuralNet => request,
            KernelSource.Environment => environmentValue,
            _ => null,
        };
        if (asked is not null && asked.Trim().Length == 0)
        {
            return $"detected by OpenBLAS, {Variable} being empty";
        }

        if (asked is not null && !string.Equals(asked.Trim(), coreName, StringComparison.OrdinalIgnoreCase))
        {
            string who = source == KernelSource.NeuralNet ? "asked for by NeuralNet" : "set in the environment";
            return $"detected by OpenBLAS, which ignored {Variable}={asked} {who}";
        }

        return source switch
        {
            KernelSource.NeuralNet => $"chosen by NeuralNet from the CPU's {(cpu.HasAvx512 ? "AVX-512" : "AVX2 and FMA")}",
            KernelSource.Environment => $"set by {Variable}",
            KernelSource.AlreadyLoaded => "loaded into the process before NeuralNet",
            _ => "detected by OpenBLAS",
        };
    }

    /// <summary>
    /// Whether <paramref name="coreName"/> is a vectorised (AVX2 or wider, or Arm NEON/SVE server) kernel. OpenBLAS's
    /// SSE-era fallbacks ("Prescott", "Nehalem", "Core2" and the like) are several times slower than the managed kernel.
    /// </summary>
    public static bool IsFast(string coreName)
        => coreName.ToUpperInvariant() is "HASWELL" or "ZEN" or "SKYLAKEX" or "COOPERLAKE" or "SAPPHIRERAPIDS"
            or "NEOVERSEN1" or "NEOVERSEV1" or "NEOVERSEN2" or "ARMV8SVE";
}
