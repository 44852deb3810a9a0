using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// A fact about the OpenBLAS backend: reported as skipped, with the reason, where <c>libopenblas</c> cannot be
/// loaded, rather than passing without having run (xunit 2 has no skipping from inside a test).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        Skip = SkipReason;
    }

    /// <summary>Why OpenBLAS tests are skipped on this machine, or null when it loads.</summary>
    internal static string? SkipReason
        => MatrixBackend.OpenBlas is null ? "libopenblas cannot be loaded on this machine (Debian: install libopenblas0-pthread)." : null;
}
