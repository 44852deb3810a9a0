using ScottPlot;

namespace NeuralNet.Samples.GradientDescentModes;

/// <summary>Draws loss per epoch and loss against training time side by side.</summary>
internal static class Chart
{
    public static void Draw(IReadOnlyList<ModeRun> runs, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot byEpoch = multiplot.GetPlot(0);
        Plot byTime = multiplot.GetPlot(1);
        foreach (ModeRun run in runs)
        {
            double[] epochs = [.. Enumerable.Range(0, run.Losses.Count).Select(e => (double)e)];
            var perEpoch = byEpoch.Add.Scatter(epochs, run.Losses.ToArray());
            perEpoch.LegendText = run.Name;
            var perSecond = byTime.Add.Scatter(run.Seconds.ToArray(), run.Losses.ToArray());
            perSecond.LegendText = run.Name;
        }

        byEpoch.Title("Training loss per epoch");
        byEpoch.XLabel("epoch");
        byEpoch.YLabel("cross-entropy on all 8,000 training images");
        byTime.Title("Training loss against training time");
        byTime.XLabel("seconds of training");
        byTime.YLabel("cross-entropy on all 8,000 training images");
        byEpoch.ShowLegend();
        byTime.ShowLegend();
        multiplot.SavePng(path, 1400, 560);
    }
}
