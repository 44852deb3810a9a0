using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// The early-stopping bookkeeping of a run: the best monitored loss so far, its epoch, the epochs since, and the
/// weights of that epoch when they are to be restored. Checkpoints save it, so a resumed run stops where the
/// uninterrupted one would have.
/// </summary>
internal sealed class EarlyStoppingTracker<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The best monitored value so far as a value to minimise: the loss, or the accuracy negated. Keeping one
    /// direction lets checkpoints save either without knowing which was monitored.
    /// </summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int BestEpoch { get; set; }

    public int EpochsWithoutImprovement { get; set; }

    /// <summary>The parameters' values at <see cref="BestEpoch"/>, one array per network parameter, when kept.</summary>
    public T[][]? BestWeights { get; set; }

    /// <summary>Whether a run under <paramref name="rule"/> has already stopped (a checkpoint written when it did).</summary>
    public bool HasStopped(EarlyStopping rule) => EpochsWithoutImprovement >= rule.Patience;

    /// <summary>Takes an epoch's record into account; returns true when training should stop.</summary>
    public bool Observe(EarlyStopping rule, EpochRecord record, IReadOnlyList<Parameter<T>> parameters)
    {
        double monitored = rule.Monitor == EarlyStoppingMetric.ValidationAccuracy
            ? -(record.ValidationAccuracy ?? throw new InvalidOperationException(
                $"Early stopping monitors the validation accuracy, but epoch {record.Epoch} has none: it needs validation data and a cross-entropy loss."))
            : record.ValidationLoss ?? record.Loss;
        if (monitored < BestLoss - rule.MinimumImprovement)
        {
            BestLoss = monitored;
            BestEpoch = record.Epoch;
            EpochsWithoutImprovement = 0;
            if (rule.RestoreBestWeights)
            {
                BestWeights ??= [.. parameters.Select(p => new T[p.Length])];
                for (int p = 0; p < parameters.Count; p++)
                {
                    parameters[p].Values.CopyTo(BestWeights[p]);
                }
            }

            return false;
        }

        EpochsWithoutImprovement++;
        return HasStopped(rule);
    }

    /// <summary>Puts the best epoch's weights back, when they were kept.</summary>
    public void RestoreBest(IReadOnlyList<Parameter<T>> parameters)
    {
        if (BestWeights is null)
        {
            return;
        }

        for (int p = 0; p < parameters.Count; p++)
        {
            BestWeights[p].CopyTo(parameters[p].Values);
        }
    }
}
