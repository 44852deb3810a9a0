namespace NeuralNet.Training;

/// <summary>
/// The running state of <see cref="ReduceOnPlateau"/>: the best monitored loss, the epochs since it, and the product of
/// the reductions made. It is rebuilt from a checkpoint's history by observing its records again, in order.
/// </summary>
internal sealed class PlateauTracker(ReduceOnPlateau rule)
{
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>The product of the factors of the reductions made so far; 1 before the first.</summary>
    public double Scale { get; private set; } = 1;

    /// <summary>The rate of an epoch whose schedule gives <paramref name="scheduled"/>.</summary>
    public double Rate(double scheduled) => Scale < 1 ? Math.Max(scheduled * Scale, rule.MinimumRate) : scheduled;

    /// <summary>Takes in a completed epoch: its monitored loss, and the rate it trained at.</summary>
    public void Observe(EpochRecord record)
    {
        double monitored = record.ValidationLoss ?? record.Loss;
        if (monitored < BestLoss - rule.MinimumImprovement)
        {
            BestLoss = monitored;
            EpochsWithoutImprovement = 0;
            return;
        }

        EpochsWithoutImprovement++;
        if (EpochsWithoutImprovement >= rule.Patience && record.LearningRate > rule.MinimumRate)
        {
            Scale *= rule.Factor;
            EpochsWithoutImprovement = 0;
        }
    }
}
