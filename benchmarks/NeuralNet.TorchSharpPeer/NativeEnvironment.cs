using System.Runtime.InteropServices;

namespace NeuralNet.TorchSharpPeer;

/// <summary>
/// Sets variables in the C library's environment, which native code such as libtorch's OpenMP runtime reads.
/// .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the runtime's own copy on
/// Linux, so it cannot reach a native library loaded later.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> unless the environment already has it; returns the value in force.</summary>
    /// <exception cref="InvalidOperationException">The C library refused the variable.</exception>
    public static string SetDefault(string name, string value)
    {
        string? current = Environment.GetEnvironmentVariable(name);
        if (current is not null)
        {
            return current;
        }

        if (SetEnv(name, value, overwrite: 0) != 0)
        {
            throw new InvalidOperationException($"setenv({name}={value}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        Environment.SetEnvironmentVariable(name, value);
        return value;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
