namespace NeuralNet.Training;

/// <summary>What one epoch of training did.</summary>
public sealed record EpochRecord
{
    /// <summary>The epoch number, from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>
    /// The mean training loss over the epoch's batches, weighted by batch size, each measured before its update
    /// (for batch descent: the loss at the start of the epoch). It excludes the weight-decay penalty.
    /// </summary>
    public required double Loss { get; init; }

    /// <summary>
    /// For the cross-entropy losses, the fraction of the epoch's training samples classified right, each by the
    /// network as it stood before that sample's update (read off the predictions the update made anyway, so it costs no
    /// extra forward pass, and like <see cref="Loss"/> it mixes the network's states through the epoch); null for
    /// other losses.
    /// </summary>
    public double? Accuracy { get; init; }

    /// <summary>
    /// A warning about the data, given once per run on its first epoch's record (so it reaches
    /// <see cref="TrainingOptions.OnEpoch"/>, <see cref="TrainingOptions.Progress"/> and the history): features whose
    /// spreads differ by three orders of magnitude or more, or regression targets whose |mean| or standard deviation
    /// is 10 or more (or standard deviation 0.01 or less), read off the run's first batch; such unscaled data is the
    /// commonest cause of divergence, and the divergence exception repeats it. Null when the data looks scaled.
    /// </summary>
    public string? Warning { get; init; }

    /// <summary>The loss on the validation data after the epoch, or null without validation data.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The validation accuracy after the epoch, for the cross-entropy losses with validation data.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The validation R² after the epoch, for mean squared error with validation data.</summary>
    public double? ValidationRSquared { get; init; }

    /// <summary>The learning rate used in the epoch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The number of parameter updates made in the epoch.</summary>
    public required int Updates { get; init; }

    /// <summary>The wall-clock time the epoch took, validation included.</summary>
    public required TimeSpan Elapsed { get; init; }
}
