using System.Numerics;
using NeuralNet.Persistence;

namespace NeuralNet.Training;

/// <summary>
/// Resumable training checkpoints: the network plus the update rule and its per-parameter state, the epochs done, the
/// generator's state, the early-stopping tracker and the history. Training stopped after epoch k and resumed from its
/// checkpoint ends with weights bit-identical to training that never stopped.
/// </summary>
/// <remarks>Checkpoints are written by training when <see cref="TrainingOptions.Checkpoint"/> is set.</remarks>
public static class TrainingCheckpoint
{
    /// <summary>Loads a checkpoint written during training.</summary>
    /// <typeparam name="T">The precision it was written in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The checkpoint, ready to <c>Resume</c>.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint of precision <typeparamref name="T"/>, or names a component that is not registered.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static TrainingCheckpoint<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Internal.Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream);
    }

    /// <summary>Loads a checkpoint from a stream.</summary>
    /// <typeparam name="T">The precision it was written in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="stream">The content.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ModelFormatException">The content is not a valid checkpoint of precision <typeparamref name="T"/>, or names a component that is not registered.</exception>
    public static TrainingCheckpoint<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
        => CheckpointFile.Load<T>(stream);
}
