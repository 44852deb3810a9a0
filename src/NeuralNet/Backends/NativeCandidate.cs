namespace NeuralNet.Backends;

/// <summary>
/// A native library after loading and checking: its backend when it passed <see cref="NativeProof"/>, and why the
/// default does not use it, if it does not.
/// </summary>
/// <param name="Name">The backend's short name, as <c>NEURALNET_BACKEND</c> spells it: <c>openblas</c>.</param>
/// <param name="Backend">The backend, or null when the library is missing or failed the check.</param>
/// <param name="Problem">
/// Null when the default may use the backend; otherwise one phrase that follows the name, such as
/// <c>refused: its SkylakeX kernel disagreed with the managed reference by …</c> or <c>not found (…)</c>.
/// </param>
internal sealed record NativeCandidate(string Name, MatrixBackend? Backend, string? Problem)
{
    /// <summary>A library that could not be loaded or used; <paramref name="problem"/> says why.</summary>
    public static NativeCandidate Missing(string name, string problem) => new(name, null, problem);

    /// <summary>
    /// Checks <paramref name="backend"/> against the managed reference: refused when it disagrees, proven otherwise, and
    /// proven but left out of the default when <paramref name="isFast"/> is false.
    /// </summary>
    /// <param name="backend">The loaded backend.</param>
    /// <param name="kernel">What runs, as the messages name it: <c>its SkylakeX kernel</c>.</param>
    /// <param name="isFast">Whether the kernel is vectorised enough to beat the managed one.</param>
    public static NativeCandidate Prove(MatrixBackend backend, string kernel, bool isFast)
    {
        string? disagreement = NativeProof.Disagreement(backend);
        if (disagreement is not null)
        {
            return new(backend.Name, null, $"refused: {kernel} {disagreement}");
        }

        return new(backend.Name, backend, isFast ? null : $"not used: {kernel} is an SSE-era kernel, slower than the managed one");
    }
}
