using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Lowers the learning rate when the monitored loss (validation loss when there is validation data, training loss
/// otherwise) stops improving, as Keras' <c>ReduceLROnPlateau</c>: after <see cref="Patience"/> epochs in a row
/// without a decrease of more than <see cref="MinimumImprovement"/> below the best loss so far, the rate is multiplied
/// by <see cref="Factor"/>, never below <see cref="MinimumRate"/>, and the count starts again.
/// </summary>
/// <remarks>
/// <para>
/// The reduction multiplies whatever <see cref="TrainingOptions.Schedule"/> gives: after k reductions epoch e trains at
/// <c>max(schedule(e)·factorᵏ, minimumRate)</c>, and a reduction is made only while the rate is above
/// <see cref="MinimumRate"/>. With a constant schedule this is Keras' <c>lr ← max(lr·factor, min_lr)</c>, and PyTorch's
/// <c>ReduceLROnPlateau(mode="min", factor, patience=patience−1, threshold=minimumImprovement, threshold_mode="abs",
/// min_lr)</c> (PyTorch reduces once more than <c>patience</c> epochs have not improved, Keras once that many have).
/// There is no cooldown.
/// </para>
/// <para>
/// Its state (best loss, epochs without improvement, reductions) is a function of the recorded losses and rates, which
/// checkpoints save: a resumed run rebuilds it from the checkpoint's history and continues exactly as the uninterrupted
/// run would.
/// </para>
/// </remarks>
public sealed record ReduceOnPlateau
{
    /// <summary>Creates the rule; the defaults are Keras'.</summary>
    /// <param name="factor">The multiplier of each reduction, in (0, 1). Default 0.1.</param>
    /// <param name="patience">Epochs without improvement before a reduction, positive. Default 10.</param>
    /// <param name="minimumRate">The rate never reduced below, non-negative and finite. Default 0.</param>
    /// <param name="minimumImprovement">The decrease that counts as an improvement, non-negative and finite. Default 1e-4.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ReduceOnPlateau(double factor = 0.1, int patience = 10, double minimumRate = 0, double minimumImprovement = 1e-4)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, FormattableString.Invariant($"factor must be in (0, 1), but got {factor}."));
        }

        Guard.Positive(patience, nameof(patience));
        Guard.InRange(minimumRate, 0, double.MaxValue, nameof(minimumRate));
        Guard.InRange(minimumImprovement, 0, double.MaxValue, nameof(minimumImprovement));
        Factor = factor;
        Patience = patience;
        MinimumRate = minimumRate;
        MinimumImprovement = minimumImprovement;
    }

    /// <summary>The multiplier of each reduction, in (0, 1).</summary>
    public double Factor { get; }

    /// <summary>Epochs in a row without improvement before the rate is reduced.</summary>
    public int Patience { get; }

    /// <summary>The lowest rate a reduction gives.</summary>
    public double MinimumRate { get; }

    /// <summary>The decrease of the monitored loss below the best so far that counts as an improvement.</summary>
    public double MinimumImprovement { get; }
}
