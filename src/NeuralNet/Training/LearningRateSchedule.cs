using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// The learning rate for each epoch, from the base rate of <see cref="TrainingOptions.LearningRate"/>.
/// Instances are immutable; the rate depends only on the epoch number, so a resumed run follows the same schedule.
/// </summary>
public abstract class LearningRateSchedule
{
    private protected LearningRateSchedule()
    {
    }

    /// <summary>The base rate in every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Multiplies the rate by <paramref name="factor"/> every <paramref name="everyEpochs"/> epochs: <c>η·factor^⌊(e−1)/every⌋</c>.</summary>
    /// <param name="everyEpochs">The epochs between drops, positive.</param>
    /// <param name="factor">The multiplier, in (0, 1].</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static LearningRateSchedule Step(int everyEpochs, double factor)
    {
        Guard.Positive(everyEpochs, nameof(everyEpochs));
        Guard.InRange(factor, double.Epsilon, 1, nameof(factor), maxInclusive: true);
        return new StepSchedule(everyEpochs, factor);
    }

    /// <summary>Multiplies the rate by <paramref name="factor"/> every epoch: <c>η·factor^(e−1)</c>.</summary>
    /// <param name="factor">The multiplier per epoch, in (0, 1].</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is out of range.</exception>
    public static LearningRateSchedule Exponential(double factor)
    {
        Guard.InRange(factor, double.Epsilon, 1, nameof(factor), maxInclusive: true);
        return new StepSchedule(1, factor);
    }

    /// <summary>
    /// Cosine annealing from the base rate down to <paramref name="minimumRate"/> over the run:
    /// <c>min + (η − min)·(1 + cos(π·(e−1)/E))/2</c> for epoch e of E.
    /// </summary>
    /// <param name="minimumRate">The rate the curve tends to, non-negative.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumRate"/> is negative or not finite.</exception>
    public static LearningRateSchedule Cosine(double minimumRate = 0)
    {
        Guard.InRange(minimumRate, 0, double.MaxValue, nameof(minimumRate));
        return new CosineSchedule(minimumRate);
    }

    /// <summary>
    /// This schedule with a linear warm-up: for epoch e (from 1) of the first <paramref name="epochs"/>, the rate is
    /// this schedule's times <c>e/epochs</c>, so the first epoch trains at <c>1/epochs</c> of it and epoch
    /// <paramref name="epochs"/> at all of it; later epochs are this schedule's unchanged.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The warm-up is per epoch, as every schedule here is: the rate is fixed for all the updates of an epoch, and a
    /// resumed run recomputes it from the epoch number alone. (A per-update warm-up, as transformer recipes use, would
    /// need the number of updates per epoch, which streamed data does not know in advance.)
    /// </para>
    /// <para>
    /// For a constant schedule it is PyTorch's <c>LinearLR(start_factor=1/epochs, end_factor=1,
    /// total_iters=epochs−1)</c> stepped once per epoch. For another schedule the warm-up multiplies it, as
    /// <c>LambdaLR</c> with a product of the two would; PyTorch's <c>SequentialLR</c> would instead start the second
    /// schedule from its own first epoch when the warm-up ends.
    /// </para>
    /// </remarks>
    /// <param name="epochs">The warm-up epochs, positive.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    public LearningRateSchedule WithWarmup(int epochs)
    {
        Guard.Positive(epochs, nameof(epochs));
        return new WarmupSchedule(this, epochs);
    }

    /// <summary>The learning rate for <paramref name="epoch"/> (from 1) of <paramref name="totalEpochs"/>.</summary>
    /// <param name="baseRate">The base rate.</param>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="totalEpochs">The number of epochs in the run.</param>
    /// <returns>The rate, positive.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseRate"/> is not positive and finite, or <paramref name="epoch"/> is outside [1, <paramref name="totalEpochs"/>].</exception>
    public double Rate(double baseRate, int epoch, int totalEpochs)
    {
        Guard.PositiveFinite(baseRate, nameof(baseRate));
        Guard.Positive(totalEpochs, nameof(totalEpochs));
        if (epoch < 1 || epoch > totalEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epoch must be in [1, {totalEpochs}], but got {epoch}.");
        }

        return RateCore(baseRate, epoch, totalEpochs);
    }

    /// <summary>The rate for checked arguments.</summary>
    private protected abstract double RateCore(double baseRate, int epoch, int totalEpochs);

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        private protected override double RateCore(double baseRate, int epoch, int totalEpochs) => baseRate;

        public override string ToString() => "constant";
    }

    private sealed class StepSchedule(int everyEpochs, double factor) : LearningRateSchedule
    {
        private protected override double RateCore(double baseRate, int epoch, int totalEpochs) => baseRate * Math.Pow(factor, (epoch - 1) / everyEpochs);

        public override string ToString() => FormattableString.Invariant($"step(every={everyEpochs}, factor={factor})");
    }

    private sealed class WarmupSchedule(LearningRateSchedule inner, int epochs) : LearningRateSchedule
    {
        private protected override double RateCore(double baseRate, int epoch, int totalEpochs)
        {
            double rate = inner.RateCore(baseRate, epoch, totalEpochs);
            return epoch < epochs ? rate * epoch / epochs : rate;
        }

        public override string ToString() => FormattableString.Invariant($"{inner}.warmup({epochs})");
    }

    private sealed class CosineSchedule(double minimumRate) : LearningRateSchedule
    {
        private protected override double RateCore(double baseRate, int epoch, int totalEpochs)
        {
            double progress = totalEpochs <= 1 ? 0 : (double)(epoch - 1) / totalEpochs;
            double floor = Math.Min(minimumRate, baseRate);
            return floor + ((baseRate - floor) * (1 + Math.Cos(Math.PI * progress)) / 2);
        }

        public override string ToString() => FormattableString.Invariant($"cosine(min={minimumRate})");
    }
}
