using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Stops training when the monitored value (by default the validation loss when there is validation data, training
/// loss otherwise; or the validation accuracy, see <see cref="Monitor"/>) has not improved by at least
/// <see cref="MinimumImprovement"/> for <see cref="Patience"/> epochs.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement before stopping, positive.</param>
    /// <param name="minimumImprovement">The change that counts as an improvement (a decrease of the loss, an increase of the accuracy), non-negative.</param>
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

    /// <summary>The change of the monitored value that counts as an improvement: a decrease of the loss, an increase of the accuracy.</summary>
    public double MinimumImprovement { get; }

    /// <summary>
    /// What is watched: <see cref="EarlyStoppingMetric.Loss"/> (the default; lower is better) or
    /// <see cref="EarlyStoppingMetric.ValidationAccuracy"/> (higher is better). With validation accuracy, training
    /// throws <see cref="InvalidOperationException"/> after the first epoch that has none (no validation data, or a
    /// loss other than cross-entropy).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="EarlyStoppingMetric"/>'s.</exception>
    public EarlyStoppingMetric Monitor
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Expected an EarlyStoppingMetric (Loss or ValidationAccuracy), but got {(int)value}.");
    }

    /// <summary>
    /// Whether training ends with the weights of the best epoch (when it stops early and when it runs out of
    /// epochs). When false, the network keeps the last epoch's weights.
    /// </summary>
    public bool RestoreBestWeights { get; }
}
