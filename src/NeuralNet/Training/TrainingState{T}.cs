using System.Numerics;
using NeuralNet.UpdateRules;

namespace NeuralNet.Training;

/// <summary>
/// Everything a training run carries from epoch to epoch besides the weights, which a checkpoint saves so that a
/// resumed run continues bit-identically: epochs done (and the position within an unfinished one), the generator (shuffling and whatever layers draw in training
/// mode), the update rule's per-parameter state, the early-stopping tracker and the history.
/// </summary>
internal sealed class TrainingState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public TrainingState(RandomSource random, ParameterState<T>[]? ruleState = null)
    {
        Random = random;
        RuleState = ruleState;
    }

    public int CompletedEpochs { get; set; }

    /// <summary>Where in the next epoch the run was, for a checkpoint written within an epoch; null at an epoch boundary.</summary>
    public EpochPosition? Position { get; set; }

    public RandomSource Random { get; }

    public List<EpochRecord> History { get; } = [];

    public EarlyStoppingTracker<T> EarlyStopping { get; } = new();

    /// <summary>The update rule's state per network parameter restored from a checkpoint, or null for a fresh run.</summary>
    public ParameterState<T>[]? RuleState { get; }

    /// <summary>The updater of the run, made when it starts: with the restored state when there is one.</summary>
    public ParameterUpdater<T>? Updater { get; private set; }

    /// <summary>Makes the run's updater, carrying over the restored rule state.</summary>
    public ParameterUpdater<T> StartUpdater(UpdateRule rule, IReadOnlyList<Parameter<T>> parameters, double weightDecay)
    {
        Updater = new ParameterUpdater<T>(rule, parameters, weightDecay);
        if (RuleState is { } restored)
        {
            for (int p = 0; p < restored.Length; p++)
            {
                Updater.StateAt(p).CopyFrom(restored[p]);
            }
        }

        return Updater;
    }
}
