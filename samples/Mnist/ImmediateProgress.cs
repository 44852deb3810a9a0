namespace NeuralNet.Samples.Mnist;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting thread, so rows print in order.</summary>
internal sealed class ImmediateProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
