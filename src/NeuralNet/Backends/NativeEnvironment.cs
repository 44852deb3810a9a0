using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.Backends;

/// <summary>
/// The process's native environment and loader, through the C library: what a native library sees when it reads a
/// variable with <c>getenv</c> as it loads, and whether a library is loaded already.
/// </summary>
/// <remarks>
/// .NET keeps its own copy of the environment on Unix: <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes that copy only, and <c>getenv</c> in native code never sees the change. A variable a native library reads
/// therefore has to be set here, with <c>setenv</c>. Everything is resolved from the process's own symbols (the C
/// library is always loaded in a .NET process on Unix); on Windows, or where a symbol is missing, the functions report
/// that they cannot help (null or false) and NeuralNet leaves the environment alone.
/// </remarks>
internal static unsafe class NativeEnvironment
{
    private static readonly delegate* unmanaged<byte*, byte*> GetEnv = (delegate* unmanaged<byte*, byte*>)Export("getenv");
    private static readonly delegate* unmanaged<byte*, byte*, int, int> SetEnv = (delegate* unmanaged<byte*, byte*, int, int>)Export("setenv");
    private static readonly delegate* unmanaged<byte*, int> UnsetEnv = (delegate* unmanaged<byte*, int>)Export("unsetenv");
    private static readonly delegate* unmanaged<byte*, int, nint> DlOpen = (delegate* unmanaged<byte*, int, nint>)Export("dlopen");

    /// <summary>Whether this process can read and change its native environment here.</summary>
    public static bool IsAvailable => GetEnv != null && SetEnv != null && UnsetEnv != null;

    /// <summary>The variable's value in the native environment, or null when it is not set there (or cannot be read).</summary>
    public static string? Get(string name)
    {
        if (GetEnv == null)
        {
            return null;
        }

        fixed (byte* key = Terminated(name))
        {
            return Marshal.PtrToStringUTF8((nint)GetEnv(key));
        }
    }

    /// <summary>Sets the variable in the native environment, replacing any value; false when it cannot.</summary>
    public static bool Set(string name, string value)
    {
        if (SetEnv == null)
        {
            return false;
        }

        fixed (byte* key = Terminated(name))
        fixed (byte* text = Terminated(value))
        {
            return SetEnv(key, text, 1) == 0;
        }
    }

    /// <summary>Removes the variable from the native environment; false when it cannot.</summary>
    public static bool Unset(string name)
    {
        if (UnsetEnv == null)
        {
            return false;
        }

        fixed (byte* key = Terminated(name))
        {
            return UnsetEnv(key) == 0;
        }
    }

    /// <summary>
    /// The handle of the library called <paramref name="name"/> when the process has loaded it already (by that name
    /// or soname), without loading it; zero when it is not loaded or the loader cannot be asked.
    /// </summary>
    public static nint AlreadyLoaded(string name)
    {
        if (DlOpen == null)
        {
            return 0;
        }

        // RTLD_LAZY | RTLD_NOLOAD: only look among the loaded objects. RTLD_NOLOAD is 4 on Linux, 0x10 on macOS.
        int flags = 1 | (OperatingSystem.IsMacOS() ? 0x10 : 4);
        fixed (byte* file = Terminated(name))
        {
            return DlOpen(file, flags);
        }
    }

    private static byte[] Terminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private static nint Export(string symbol)
        => !OperatingSystem.IsWindows() && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), symbol, out nint address)
            ? address
            : 0;
}
