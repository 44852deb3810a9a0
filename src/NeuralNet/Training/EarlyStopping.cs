using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Stops training when the monitored loss (validation loss when there is validation data, training loss
/// otherwise) has not improved by at least <see cref="MinimumImprovement"/> for <see cref="Patience"/> epochs.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement before stopping, positive.</param>
    /// <param name="minimumImprovement">The decrease that counts as an improvement, non-negative.</param>
    /// <param name="restoreBestWeights">Whether to end with the weights of the best epoch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patience"/> is not positive or <paramref name="minimumImprovement"/> is negative.</exception>
    public EarlyStopping(int patience = 5, double minimumImprovement = 0, bool restoreBestWeights = true)
    {
        Guard.Positive(patience, nameof(patience));
        Guard.InRange(minimumImprovement, 0, double.MaxValue, nameof(minimumImprovement));
        Patience = patience;
        MinimumImprovement = minimumImprovement;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The decrease of the monitored loss that counts as an improvement.</summary>
    public double MinimumImprovement { get; }

    /// <summary>
    /// Whether training ends with the weights of the best epoch (when it stops early and when it runs out of
    /// epochs). When false, the network keeps the last epoch's weights.
    /// </summary>
    public bool RestoreBestWeights { get; }
}
