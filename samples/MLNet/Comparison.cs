using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet;

namespace MLNetSample;

/// <summary>NeuralNet against ML.NET's own multiclass trainers, on the same split and in the same cross-validation.</summary>
internal static class Comparison
{
    /// <summary>The network the sample trains: the settings, with early stopping on a tenth of the training rows.</summary>
    public static NeuralNetTrainerOptions NeuralNetOptions => new()
    {
        HiddenLayers = [64, 32],
        Activation = "relu",
        Epochs = 100,
        BatchSize = 32,
        LearningRate = 1e-3,
        UpdateRule = "adam",
        Seed = 1,
        ValidationFraction = 0.1,
        EarlyStoppingPatience = 10,
    };

    public static void Run(MLContext ml, DataOperationsCatalog.TrainTestData split, IDataView rows, int repeats)
    {
        var trainers = new (string Name, Func<IEstimator<ITransformer>> Create)[]
        {
            ("NeuralNet (64-32 ReLU, Adam)", () => ml.MulticlassClassification.Trainers.NeuralNet(NeuralNetOptions)),
            ("SdcaMaximumEntropy", () => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            ("LbfgsMaximumEntropy", () => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            ("FastTree (one-versus-all)", () => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree())),
        };

        // Cached once, so every trainer's time is its own training and not the CSV parse.
        IDataView train = ml.Data.Cache(split.TrainSet);
        IDataView test = ml.Data.Cache(split.TestSet);
        IDataView all = ml.Data.Cache(rows);
        Console.WriteLine($"wine.csv: {Count(train)} training rows, {Count(test)} held-out rows; training time is the median of {repeats} fits of the whole pipeline (key mapping, features, normalisation, trainer).");
        Console.WriteLine();
        Console.WriteLine("| Trainer | Held-out accuracy | Held-out log-loss | Training time (ms) | 5-fold CV accuracy (mean ± sd) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach ((string name, Func<IEstimator<ITransformer>> create) in trainers)
        {
            var times = new List<double>();
            MulticlassClassificationMetrics? metrics = null;
            for (int r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                ITransformer model = Pipeline(ml, create()).Fit(train);
                times.Add(watch.Elapsed.TotalMilliseconds);
                metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
                (model as IDisposable)?.Dispose();
            }

            var folds = ml.MulticlassClassification.CrossValidate(all, Pipeline(ml, create()), numberOfFolds: 5, labelColumnName: "Label", seed: 1);
            double[] accuracies = [.. folds.Select(f => f.Metrics.MicroAccuracy)];
            double mean = accuracies.Average();
            double sd = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (accuracies.Length - 1));
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {metrics!.MicroAccuracy:P1} | {metrics.LogLoss:F3} | {times[times.Count / 2]:F0} | {mean:P1} ± {sd:P1} |"));
        }
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, IEstimator<ITransformer> trainer)
        => ml.Transforms.Conversion.MapValueToKey("Label", nameof(WineRow.Cultivar))
            .Append(ml.Transforms.Concatenate("Features", WineRow.Measurements))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(trainer);

    private static long Count(IDataView view)
    {
        long count = 0;
        using DataViewRowCursor cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }
}
