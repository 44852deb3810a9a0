namespace NeuralNet.Training;

/// <summary>
/// How far into an unfinished epoch a checkpoint was written: what the run needs to go on from the next update as if
/// it had never stopped.
/// </summary>
/// <param name="Updates">The updates done in the epoch, positive.</param>
/// <param name="EpochStartRandom">
/// The generator's state when the epoch began, before it shuffled the epoch's samples: replaying from it rebuilds the
/// same batch order. The generator's state at the checkpoint itself is the state's generator.
/// </param>
/// <param name="LossSum">The sum over the epoch's samples so far of their loss (batch-mean loss times batch size).</param>
/// <param name="Samples">The samples the epoch's updates have used so far.</param>
/// <param name="Correct">Of those, the ones the network classified correctly (classification only).</param>
/// <param name="Elapsed">The time the epoch had taken so far.</param>
/// <param name="Warning">The data warning the epoch will record, or null.</param>
internal sealed record EpochPosition(int Updates, (ulong, ulong, ulong, ulong) EpochStartRandom, double LossSum, int Samples, int Correct, TimeSpan Elapsed, string? Warning);
