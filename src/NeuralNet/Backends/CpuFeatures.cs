using X86 = System.Runtime.Intrinsics.X86;

namespace NeuralNet.Backends;

/// <summary>
/// The x86 vector instruction sets that decide which OpenBLAS kernel can run, as .NET reports them: present in the
/// CPU, enabled by the operating system and not turned off in the runtime (<c>DOTNET_EnableAVX512=0</c> makes NeuralNet
/// ask for Haswell instead of SkylakeX).
/// </summary>
internal readonly record struct CpuFeatures(bool Avx512F, bool Avx512BW, bool Avx512VL, bool Avx512DQ, bool Avx2, bool Fma)
{
    /// <summary>This machine's features.</summary>
    public static CpuFeatures Current => new(X86.Avx512F.IsSupported, X86.Avx512BW.IsSupported, X86.Avx512F.VL.IsSupported, X86.Avx512DQ.IsSupported, X86.Avx2.IsSupported, X86.Fma.IsSupported);

    /// <summary>What OpenBLAS's SkylakeX kernels use: AVX-512 foundation, byte/word, vector-length and doubleword/quadword instructions.</summary>
    public bool HasAvx512 => Avx512F && Avx512BW && Avx512VL && Avx512DQ;

    /// <summary>What OpenBLAS's Haswell kernels use: AVX2 and fused multiply-add.</summary>
    public bool HasAvx2AndFma => Avx2 && Fma;
}
