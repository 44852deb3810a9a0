namespace NeuralNet.Tests.Data;

/// <summary>
/// What a call allocates on the current thread, measured around the call alone: an assertion library's own
/// allocations (message formatting, reflection) would blur the figure.
/// </summary>
internal static class Allocation
{
    /// <summary>
    /// Runs <paramref name="act"/> once to warm up (JIT, first-time type loading, exception message resources), then
    /// again measured.
    /// </summary>
    /// <param name="act">The call; it may throw.</param>
    /// <returns>The bytes the measured run allocated on this thread, and what it threw (null when it returned).</returns>
    public static (long Bytes, Exception? Error) Measure(Action act)
    {
        _ = Run(act);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Run(act);
        return (GC.GetAllocatedBytesForCurrentThread() - before, error);
    }

    private static Exception? Run(Action act)
    {
        try
        {
            act();
            return null;
        }
#pragma warning disable CA1031 // Any exception is the call's outcome; the test asserts its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
