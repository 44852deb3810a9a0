using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.TorchSharpPeer;

/// <summary>
/// What libtorch says about itself: the text of <c>at::show_config()</c> (the same as Python's
/// <c>torch.__config__.show()</c>: the BLAS it was built with, the MKL and oneDNN versions, the CPU capability its
/// vectorised kernels use) and <c>at::get_cpu_capability()</c>. TorchSharp does not expose these, so they are called in
/// the libtorch_cpu.so that TorchSharp has already loaded.
/// </summary>
/// <remarks>
/// Both functions return a <c>std::string</c> by value. On x86-64 Linux (System V ABI, libstdc++'s C++11 string) such a
/// function takes a hidden pointer to 32 bytes where it constructs the string (pointer to the characters, length, and
/// 16 bytes of inline buffer or capacity); the caller then owns it and frees a heap buffer with <c>operator delete</c>.
/// </remarks>
internal static unsafe class LibTorchConfig
{
    /// <summary>The text of <c>at::show_config()</c>, or an explanation of why it could not be read.</summary>
    public static string ShowConfig() => CallStringFunction("_ZN2at11show_configB5cxx11Ev");

    /// <summary>The CPU capability of ATen's vectorised kernels, such as <c>AVX512</c>, or an explanation.</summary>
    public static string CpuCapability() => CallStringFunction("_ZN2at18get_cpu_capabilityB5cxx11Ev");

    private static string CallStringFunction(string symbol)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return "unknown (read only on Linux x64)";
        }

        if (!NativeLibrary.TryLoad("torch_cpu", typeof(LibTorchConfig).Assembly, null, out nint torch)
            || !NativeLibrary.TryGetExport(torch, symbol, out nint function)
            || !NativeLibrary.TryLoad("libstdc++.so.6", out nint cxx)
            || !NativeLibrary.TryGetExport(cxx, "_ZdlPv", out nint delete))
        {
            return $"unknown (no {symbol} in libtorch_cpu)";
        }

        CxxString result;
        ((delegate* unmanaged<CxxString*, CxxString*>)function)(&result);
        try
        {
            return Encoding.UTF8.GetString(result.Data, checked((int)result.Length));
        }
        finally
        {
            // A short string lives in the inline buffer, right after the pointer and the length.
            if (result.Data != (byte*)&result + 16)
            {
                ((delegate* unmanaged<byte*, void>)delete)(result.Data);
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CxxString
    {
        public byte* Data;
        public nuint Length;
        public fixed byte InlineBuffer[16];
    }
}
