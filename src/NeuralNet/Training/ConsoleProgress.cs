using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// Training progress written as text, made by <see cref="TrainingProgress.Console"/>: a line per epoch and an
/// indication within long epochs. It runs on the training thread, so its lines come in order and all before
/// <c>Fit</c> returns.
/// </summary>
public sealed class ConsoleProgress : IProgress<EpochRecord>, IStepProgress
{
    private readonly TextWriter _writer;
    private readonly bool _terminal;
    private readonly long _intervalTicks;
    private int _epochs;
    private int _samples;
    private long _lastShown;
    private bool _inPlace;

    internal ConsoleProgress(TextWriter writer, bool terminal, TimeSpan interval)
    {
        _writer = writer;
        _terminal = terminal;
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Writes the epoch's line, such as <c>epoch 3/10  loss 0.2315  accuracy 0.9125  val_loss 0.2410  val_accuracy 0.9000  lr 0.01  5120 samples/s  0.25 s</c>.</summary>
    /// <param name="value">The epoch's record.</param>
    public void Report(EpochRecord value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Warning is { } warning)
        {
            WriteLine("warning: " + warning);
        }

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {value.Epoch}");
        if (_epochs > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"/{_epochs}");
        }

        line.Append(CultureInfo.InvariantCulture, $"  loss {value.Loss:G4}");
        Append(line, "accuracy", value.Accuracy);
        Append(line, "val_loss", value.ValidationLoss);
        Append(line, "val_accuracy", value.ValidationAccuracy);
        Append(line, "val_r2", value.ValidationRSquared);
        line.Append(CultureInfo.InvariantCulture, $"  lr {value.LearningRate:G4}");
        double seconds = value.Elapsed.TotalSeconds;
        if (_samples > 0 && seconds > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {_samples / seconds:F0} samples/s");
        }

        line.Append(CultureInfo.InvariantCulture, $"  {seconds:F2} s");
        WriteLine(line.ToString());
    }

    /// <inheritdoc/>
    void IStepProgress.Started(int epochs) => _epochs = epochs;

    /// <inheritdoc/>
    void IStepProgress.Stepped(int epoch, int updates, int samples, long startedTimestamp)
    {
        _samples = samples;
        long now = Stopwatch.GetTimestamp();
        if (updates == 1)
        {
            // Each epoch waits a whole interval before its first indication, so short epochs show only their line.
            _lastShown = startedTimestamp;
        }

        if (now - _lastShown < _intervalTicks)
        {
            return;
        }

        _lastShown = now;
        double seconds = Stopwatch.GetElapsedTime(startedTimestamp, now).TotalSeconds;
        string text = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: {updates} updates, {samples} samples, {seconds:F1} s");
        if (_terminal)
        {
            // Rewritten in place; padded so a shorter text hides the end of a longer one.
            _writer.Write("\r" + text.PadRight(60));
            _writer.Flush();
            _inPlace = true;
        }
        else
        {
            _writer.WriteLine(text);
        }
    }

    private static void Append(StringBuilder line, string name, double? value)
    {
        if (value is { } v)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {name} {v:G4}");
        }
    }

    private void WriteLine(string text)
    {
        if (_inPlace)
        {
            // Replaces the in-epoch indication rather than following it.
            _writer.Write("\r");
            text = text.PadRight(60);
            _inPlace = false;
        }

        _writer.WriteLine(text);
        _writer.Flush();
    }
}
