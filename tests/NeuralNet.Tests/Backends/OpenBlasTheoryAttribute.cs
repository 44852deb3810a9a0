namespace NeuralNet.Tests.Backends;

/// <summary>
/// A theory about the OpenBLAS backend: reported as skipped, with the reason, where <c>libopenblas</c> cannot be
/// loaded or failed NeuralNet's check, rather than its cases silently left out.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute()
    {
        Skip = OpenBlasFactAttribute.SkipReason;
    }
}
