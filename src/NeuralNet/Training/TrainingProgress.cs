namespace NeuralNet.Training;

/// <summary>Ready-made progress reporters for <see cref="TrainingOptions.Progress"/>.</summary>
public static class TrainingProgress
{
    /// <summary>
    /// Progress written as text: one line per epoch (epoch, training loss and accuracy, validation metrics, learning
    /// rate, samples per second, time) and, within long epochs, how far the epoch has come. On a console that is a
    /// terminal the in-epoch indication is one line rewritten in place (with <c>\r</c>) at most every
    /// <paramref name="interval"/>; anywhere else (a redirected console, a file, a <see cref="StringWriter"/>) it is a
    /// plain line at most every <paramref name="interval"/>, so logs hold whole lines only. It runs on the training
    /// thread, so no line is lost or out of order.
    /// </summary>
    /// <param name="writer">Where to write; <see cref="System.Console.Out"/> when null.</param>
    /// <param name="interval">
    /// The least time between two in-epoch lines, not negative; null for 1 second on a terminal and 10 seconds
    /// elsewhere. An epoch shorter than it shows only its epoch line.
    /// </param>
    /// <returns>A reporter for <see cref="TrainingOptions.Progress"/>; use one per training at a time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public static ConsoleProgress Console(TextWriter? writer = null, TimeSpan? interval = null)
    {
        if (interval is { } given && given < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), given, $"Expected a time of zero or more between in-epoch progress lines, but got {given}.");
        }

        bool terminal = writer is null && !System.Console.IsOutputRedirected;
        TimeSpan every = interval ?? (terminal ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10));
        return new ConsoleProgress(writer ?? System.Console.Out, terminal, every);
    }
}
