using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// A fact about the OpenBLAS backend: reported as skipped, with the reason, where <c>libopenblas</c> cannot be
/// loaded or failed NeuralNet's check, rather than passing without having run (xunit 2 has no skipping from inside a test).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        Skip = SkipReason;
    }

    /// <summary>Why OpenBLAS tests are skipped on this machine, or null when it loads and passed its check.</summary>
    internal static string? SkipReason
        => MatrixBackend.OpenBlas is null ? $"OpenBLAS is {OpenBlasLibrary.Candidate.Problem}." : null;
}
