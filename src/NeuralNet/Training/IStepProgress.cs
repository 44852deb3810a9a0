namespace NeuralNet.Training;

/// <summary>
/// A progress receiver that also hears about each update, for an indication within long epochs. The trainer calls it
/// on the training thread; it must allocate nothing when it has nothing to show, so steps stay allocation-free.
/// </summary>
internal interface IStepProgress
{
    /// <summary>Training starts (or resumes) towards <paramref name="epochs"/> epochs.</summary>
    void Started(int epochs);

    /// <summary>An update completed: the epoch, the updates and samples so far in it, and when it began (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    void Stepped(int epoch, int updates, int samples, long startedTimestamp);
}
