using System.Globalization;
using System.Text;

namespace NeuralNet.Samples.GradientDescentModes;

/// <summary>The measurements of one gradient-descent mode: full training loss after each epoch and the training time so far.</summary>
internal sealed class ModeRun(string name, double learningRate, float initialLoss)
{
    public string Name { get; } = name;

    public double LearningRate { get; } = learningRate;

    /// <summary>Epoch 0 is the untrained network.</summary>
    public List<double> Losses { get; } = [initialLoss];

    /// <summary>Seconds of training before each entry of <see cref="Losses"/>.</summary>
    public List<double> Seconds { get; } = [0];

    public int UpdatesPerEpoch { get; private set; }

    public double Accuracy { get; set; }

    public double SecondsPerEpoch => Seconds[^1] / (Seconds.Count - 1);

    public void Add(int updates, TimeSpan elapsed, float loss)
    {
        UpdatesPerEpoch = updates;
        Seconds.Add(elapsed.TotalSeconds);
        Losses.Add(loss);
    }

    public static string ToCsv(IEnumerable<ModeRun> runs)
    {
        var csv = new StringBuilder("mode,epoch,training_seconds,training_loss\n");
        foreach (ModeRun run in runs)
        {
            for (int e = 0; e < run.Losses.Count; e++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{run.Name},{e},{run.Seconds[e]:R},{run.Losses[e]:R}\n");
            }
        }

        return csv.ToString();
    }
}
