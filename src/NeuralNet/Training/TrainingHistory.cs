namespace NeuralNet.Training;

/// <summary>The per-epoch record of a training run, in epoch order.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochRecord> epochs) => Epochs = epochs;

    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>The training loss of the last epoch, or NaN when no epoch completed.</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].Loss;
}
