using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Everything about a training run beyond the weights and the update rule's state that a resumed run needs to
/// continue bit-identically: epochs done, the shuffling generator, the early-stopping tracker and the history.
/// </summary>
internal sealed class TrainingState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public TrainingState(RandomSource random) => Random = random;

    public int CompletedEpochs { get; set; }

    public RandomSource Random { get; }

    public List<EpochRecord> History { get; } = [];

    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int BestEpoch { get; set; }

    public int EpochsWithoutImprovement { get; set; }

    /// <summary>The parameters' values at <see cref="BestEpoch"/>, one array per network parameter, when kept.</summary>
    public T[][]? BestWeights { get; set; }
}
