using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// The rule that picks OpenBLAS's kernel, as a function of the environment's <c>OPENBLAS_CORETYPE</c> and the CPU's
/// features, and how a description names who chose: tested for CPUs this machine is not.
/// </summary>
public class OpenBlasKernelTests
{
    private static readonly CpuFeatures Avx512 = new(Avx512F: true, Avx512BW: true, Avx512VL: true, Avx512DQ: true, Avx2: true, Fma: true);
    private static readonly CpuFeatures Avx2Fma = new(Avx512F: false, Avx512BW: false, Avx512VL: false, Avx512DQ: false, Avx2: true, Fma: true);

    private static CpuFeatures Cpu(string name) => name switch
    {
        "avx512" => Avx512,
        "avx512 without bw" => Avx512 with { Avx512BW = false },
        "avx512 without dq" => Avx512 with { Avx512DQ = false },
        "avx2+fma" => Avx2Fma,
        "avx2 without fma" => Avx2Fma with { Fma = false },
        "sse" => default,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown CPU."),
    };

    public static TheoryData<string?, string, string?, string> Decisions() => new()
    {
        // Unset: the widest kernel the CPU provably runs.
        { null, "avx512", "SkylakeX", "NeuralNet" },
        { null, "avx2+fma", "Haswell", "NeuralNet" },
        { null, "sse", null, "OpenBlas" },

        // AVX-512 without BW (Xeon Phi's kind) is not enough for the SkylakeX kernels; AVX2 without FMA not for Haswell's.
        { null, "avx512 without bw", "Haswell", "NeuralNet" },
        { null, "avx512 without dq", "Haswell", "NeuralNet" },
        { null, "avx2 without fma", null, "OpenBlas" },

        // Whatever the environment sets is kept, on any CPU, even an empty value.
        { "Haswell", "avx512", null, "Environment" },
        { "Prescott", "avx512", null, "Environment" },
        { "SkylakeX", "sse", null, "Environment" },
        { "", "avx512", null, "Environment" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void The_kernel_asked_for_follows_the_environment_first_then_the_CPU(string? environmentValue, string cpu, string? request, string source)
        => OpenBlasKernel.Choose(environmentValue, Cpu(cpu)).Should().Be((request, Enum.Parse<KernelSource>(source)));

    [Theory]
    [InlineData(nameof(KernelSource.NeuralNet), "SkylakeX", "SkylakeX", null, true, "chosen by NeuralNet from the CPU's AVX-512")]
    [InlineData(nameof(KernelSource.NeuralNet), "Haswell", "Haswell", null, false, "chosen by NeuralNet from the CPU's AVX2 and FMA")]
    [InlineData(nameof(KernelSource.Environment), "Haswell", null, "haswell", true, "set by OPENBLAS_CORETYPE")]
    [InlineData(nameof(KernelSource.Environment), "Cooperlake", null, "", true, "detected by OpenBLAS, OPENBLAS_CORETYPE being empty")]
    [InlineData(nameof(KernelSource.Environment), "Cooperlake", null, "Icelake", true, "detected by OpenBLAS, which ignored OPENBLAS_CORETYPE=Icelake set in the environment")]
    [InlineData(nameof(KernelSource.NeuralNet), "Prescott", "SkylakeX", null, true, "detected by OpenBLAS, which ignored OPENBLAS_CORETYPE=SkylakeX asked for by NeuralNet")]
    [InlineData(nameof(KernelSource.OpenBlas), "Zen", null, null, false, "detected by OpenBLAS")]
    [InlineData(nameof(KernelSource.AlreadyLoaded), "Cooperlake", null, "SkylakeX", true, "loaded into the process before NeuralNet")]
    public void A_description_says_who_chose_the_kernel_that_runs(string source, string coreName, string? request, string? environmentValue, bool avx512, string expected)
        => OpenBlasKernel.Origin(Enum.Parse<KernelSource>(source), coreName, request, environmentValue, avx512 ? Avx512 : Avx2Fma).Should().Be(expected);

    [Theory]
    [InlineData("SkylakeX", true)]
    [InlineData("Cooperlake", true)]
    [InlineData("HASWELL", true)]
    [InlineData("Zen", true)]
    [InlineData("Prescott", false)]
    [InlineData("Nehalem", false)]
    [InlineData("unknown", false)]
    public void Only_vectorised_kernels_count_as_fast(string coreName, bool fast)
        => OpenBlasKernel.IsFast(coreName).Should().Be(fast);
}
