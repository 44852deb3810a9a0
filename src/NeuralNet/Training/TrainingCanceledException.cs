namespace NeuralNet.Training;

/// <summary>
/// Training was cancelled: the <see cref="OperationCanceledException"/> of a cancelled <c>Fit</c>, carrying the history
/// of the epochs completed before it stopped (so <c>catch (OperationCanceledException)</c> still catches it). The
/// network keeps the weights of the last completed update.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with a default message and an empty history.</summary>
    public TrainingCanceledException()
        : this("Training was cancelled.")
    {
    }

    /// <summary>Creates the exception with a message and an empty history.</summary>
    /// <param name="message">What happened.</param>
    public TrainingCanceledException(string? message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message, the cancellation that caused it and an empty history.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cancellation that stopped training.</param>
    public TrainingCanceledException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        History = new TrainingHistory([], null, false);
    }

    internal TrainingCanceledException(TrainingHistory history, OperationCanceledException cancellation)
        : base(
            $"Training was cancelled after {history.Epochs.Count} completed epoch(s); History holds their records and the network the weights of the last completed update.",
            cancellation,
            cancellation.CancellationToken)
    {
        History = history;
    }

    /// <summary>The record of the epochs that completed before cancellation (for a resumed run, the earlier ones too).</summary>
    public TrainingHistory History { get; }
}
