using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using ScottPlot;

namespace MnistCnn;

/// <summary>Draws the first convolution's filters above a grid of the test digits the network got wrong.</summary>
internal static class Picture
{
    /// <summary>The most wrong digits drawn.</summary>
    private const int MostWrong = 60;

    /// <summary>Digits per row of the grid.</summary>
    private const int PerRow = 12;

    /// <summary>Pixels between tiles.</summary>
    private const int Gap = 2;

    public static void Draw(Network<float> network, Dataset<float> test, int[] wrong, int[] predicted, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        DrawFilters(multiplot.GetPlot(0), (Conv2D<float>)network.Layers[0]);
        DrawWrong(multiplot.GetPlot(1), test, wrong, predicted);
        int rows = (Math.Min(wrong.Length, MostWrong) + PerRow - 1) / PerRow;
        multiplot.SavePng(path, 1200, 500 + (rows * 90));
    }

    /// <summary>Each filter's 5×5 weights side by side, each scaled to its own range (dark: negative, light: positive).</summary>
    private static void DrawFilters(Plot plot, Conv2D<float> conv)
    {
        int k = conv.Kernel;
        int filters = conv.Filters;
        var mosaic = new double[k, filters * (k + 1)];
        for (int f = 0; f < filters; f++)
        {
            float[] weights = [.. Enumerable.Range(0, k * k).Select(r => conv.Weights.Value[r, f])];
            float low = weights.Min();
            float range = Math.Max(weights.Max() - low, 1e-12f);
            for (int r = 0; r < k * k; r++)
            {
                mosaic[r / k, (f * (k + 1)) + (r % k)] = (weights[r] - low) / range;
            }

            for (int y = 0; y < k; y++)
            {
                mosaic[y, (f * (k + 1)) + k] = double.NaN;
            }
        }

        var heatmap = plot.Add.Heatmap(mosaic);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.Extent = new CoordinateRect(0, mosaic.GetLength(1), 0, k);
        plot.Axes.Frameless();
        plot.Title($"The first layer's {filters} learnt {k}×{k} filters (each scaled to its own range: dark negative, light positive)");
        plot.Axes.SquareUnits();
        plot.HideGrid();
    }

    /// <summary>The wrong test digits in a grid, each labelled with its true digit and the prediction.</summary>
    private static void DrawWrong(Plot plot, Dataset<float> test, int[] wrong, int[] predicted)
    {
        int shown = Math.Min(wrong.Length, MostWrong);
        int rows = Math.Max(1, (shown + PerRow - 1) / PerRow);
        const int Tile = 28 + Gap;
        const int LabelHeight = 12;
        var mosaic = new double[rows * (Tile + LabelHeight), PerRow * Tile];
        for (int y = 0; y < mosaic.GetLength(0); y++)
        {
            for (int x = 0; x < mosaic.GetLength(1); x++)
            {
                mosaic[y, x] = double.NaN;
            }
        }

        for (int i = 0; i < shown; i++)
        {
            int sample = wrong[i];
            int top = (i / PerRow) * (Tile + LabelHeight);
            int left = (i % PerRow) * Tile;
            for (int p = 0; p < 28 * 28; p++)
            {
                mosaic[top + (p / 28), left + (p % 28)] = test.Features[sample, p];
            }

            var label = plot.Add.Text(
                string.Create(CultureInfo.InvariantCulture, $"{test.Labels![sample]} → {predicted[sample]}"),
                left + 14,
                mosaic.GetLength(0) - (top + 28 + (LabelHeight / 2)));
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.MiddleCenter;
        }

        var heatmap = plot.Add.Heatmap(mosaic);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.Extent = new CoordinateRect(0, mosaic.GetLength(1), 0, mosaic.GetLength(0));
        plot.MoveToBack(heatmap);
        plot.Axes.Frameless();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"The {wrong.Length} of {test.Count} test digits it got wrong{(wrong.Length > shown ? $" (the first {shown})" : string.Empty)}, labelled true → predicted"));
        plot.Axes.SquareUnits();
        plot.HideGrid();
    }
}
