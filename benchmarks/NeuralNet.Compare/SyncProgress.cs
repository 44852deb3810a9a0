namespace NeuralNet.Compare;

/// <summary>
/// Calls its handler on the reporting thread, at once (unlike <see cref="Progress{T}"/>, which posts to the captured
/// synchronisation context), so each epoch's line is written as soon as the epoch ends.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
