using System.Globalization;

namespace NeuralNet.Training;

/// <summary>The per-epoch record of a training run, in epoch order.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochRecord> epochs, int? bestEpoch, bool stoppedEarly)
    {
        Epochs = epochs;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>One record per completed epoch (for a resumed run, the epochs before the checkpoint too).</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>The training loss of the last epoch, or NaN when no epoch completed.</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].Loss;

    /// <summary>With early stopping, the epoch whose monitored loss was lowest; otherwise null.</summary>
    public int? BestEpoch { get; }

    /// <summary>True when early stopping ended the run before the last epoch.</summary>
    public bool StoppedEarly { get; }

    /// <summary>
    /// Writes the history as CSV: a header, then one line per epoch with
    /// <c>epoch,loss,validation_loss,validation_accuracy,validation_r2,learning_rate,updates,elapsed_ms</c>,
    /// invariant culture, empty cells for absent values.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("epoch,loss,validation_loss,validation_accuracy,validation_r2,learning_rate,updates,elapsed_ms");
        foreach (EpochRecord e in Epochs)
        {
            writer.WriteLine(string.Join(
                ',',
                e.Epoch.ToString(CultureInfo.InvariantCulture),
                Format(e.Loss),
                Format(e.ValidationLoss),
                Format(e.ValidationAccuracy),
                Format(e.ValidationRSquared),
                Format(e.LearningRate),
                e.Updates.ToString(CultureInfo.InvariantCulture),
                Format(e.Elapsed.TotalMilliseconds)));
        }
    }

    /// <summary>The history as CSV text (see <see cref="WriteCsv(TextWriter)"/>).</summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
}
