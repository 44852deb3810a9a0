namespace NeuralNet.Training;

/// <summary>What one epoch of training did.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">
/// The mean training loss over the epoch's batches, weighted by batch size, each measured before its update
/// (for batch descent: the loss at the start of the epoch).
/// </param>
/// <param name="Updates">The number of parameter updates made in the epoch.</param>
/// <param name="Elapsed">The wall-clock time the epoch took.</param>
public sealed record EpochRecord(int Epoch, double Loss, int Updates, TimeSpan Elapsed);
