namespace NeuralNet.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting (training) thread, so reports
/// arrive in order and while training waits for them. <see cref="Progress{T}"/> instead posts each report to the
/// captured synchronisation context, which in a console program means the thread pool, in no fixed order.
/// </summary>
/// <typeparam name="T">The report type, such as <see cref="EpochRecord"/>.</typeparam>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates the reporter.</summary>
    /// <param name="handler">Called with each report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public SynchronousProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <inheritdoc/>
    public void Report(T value) => _handler(value);
}
