namespace NeuralNet.Training;

/// <summary>What <see cref="EarlyStopping"/> watches, and in which direction it counts an improvement.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>The validation loss when there is validation data, else the training loss; lower is better (mode min).</summary>
    Loss,

    /// <summary>
    /// The validation accuracy (<see cref="EpochRecord.ValidationAccuracy"/>); higher is better (mode max). Needs
    /// validation data and a cross-entropy loss, which are what give an epoch a validation accuracy.
    /// </summary>
    ValidationAccuracy,
}
