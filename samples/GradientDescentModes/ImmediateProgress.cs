namespace NeuralNet.Samples.GradientDescentModes;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the training thread, so the clock can be paused.</summary>
internal sealed class ImmediateProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
