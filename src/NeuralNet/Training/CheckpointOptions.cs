using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>Where and how often training saves a resumable checkpoint (see <see cref="TrainingCheckpoint"/>).</summary>
public sealed record CheckpointOptions
{
    /// <summary>Saves to <paramref name="path"/> every <paramref name="everyEpochs"/> epochs.</summary>
    /// <param name="path">The checkpoint file; replaced atomically each time.</param>
    /// <param name="everyEpochs">Epochs between saves, positive. Default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyEpochs"/> is not positive.</exception>
    public CheckpointOptions(string path, int everyEpochs = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Guard.Positive(everyEpochs, nameof(everyEpochs));
        Path = path;
        EveryEpochs = everyEpochs;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Epochs between saves.</summary>
    public int EveryEpochs { get; }
}
