using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Where and how often training saves a resumable checkpoint (see <see cref="TrainingCheckpoint"/>): every so many
/// epochs, and, for long epochs, also every so many updates or every so much time within them.
/// </summary>
/// <remarks>
/// A checkpoint written within an epoch records how far into it the run was. Resuming from it redoes nothing and
/// skips nothing: the epoch's batches are rebuilt in the same order (data in memory), or enumerated afresh with those
/// already used passed over (a stream), and training goes on from the next update, bit-identical to a run that never
/// stopped.
/// </remarks>
public sealed record CheckpointOptions
{
    private readonly int _everyUpdates;
    private readonly TimeSpan? _interval;

    /// <summary>Saves to <paramref name="path"/> every <paramref name="everyEpochs"/> epochs.</summary>
    /// <param name="path">The checkpoint file; replaced atomically each time.</param>
    /// <param name="everyEpochs">Epochs between saves, positive. Default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyEpochs"/> is not positive.</exception>
    public CheckpointOptions(string path, int everyEpochs = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Guard.Positive(everyEpochs, nameof(everyEpochs));
        Path = path;
        EveryEpochs = everyEpochs;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Epochs between saves.</summary>
    public int EveryEpochs { get; }

    /// <summary>
    /// Also saves after every this many updates, counted over the whole run (update 1 000, 2 000, … for 1 000), within
    /// epochs as well as at their ends; 0, the default, saves at epoch ends only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int EveryUpdates
    {
        get => _everyUpdates;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(EveryUpdates), value, $"Expected a non-negative number of updates between checkpoints (0 for none within epochs), but got {value}.");
            }

            _everyUpdates = value;
        }
    }

    /// <summary>
    /// Also saves after the first update that ends at least this long after the previous save (or the start of the
    /// run), within epochs as well as at their ends; null, the default, sets no time limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? Interval
    {
        get => _interval;
        init
        {
            if (value is { } span && span <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(Interval), value, $"Expected a positive time between checkpoints, but got {span}.");
            }

            _interval = value;
        }
    }
}
