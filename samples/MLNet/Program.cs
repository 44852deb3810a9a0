using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSample;
using NeuralNet.MLNet;

// A tabular task end to end with ML.NET: load a CSV file, split it, train a NeuralNet network inside an ML.NET pipeline,
// evaluate on the held-out rows, save the model, load it back and predict one row.
// --compare: the same split and 5-fold cross-validation for NeuralNet and three of ML.NET's own trainers.
// --save-route: what scoring through the saved ML.NET model (ONNX inside) costs against NeuralNet's own inference.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string data = Path.Combine(AppContext.BaseDirectory, "data", "wine.csv");
var ml = new MLContext(seed: 1);
IDataView rows = ml.Data.LoadFromTextFile<WineRow>(data, separatorChar: ',', hasHeader: true);

// About 80 % to train and 20 % held out, drawn by a seeded hash of each row.
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(rows, testFraction: 0.2, seed: 1);

if (args is ["--save-route", ..])
{
    SaveRoute.Run(ml, rows, repeats: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
    return;
}

if (args is ["--compare", ..])
{
    Comparison.Run(ml, split, rows, repeats: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3);
    return;
}

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(WineRow.Cultivar))
    .Append(ml.Transforms.Concatenate("Features", WineRow.Measurements))
    .Append(ml.Transforms.NormalizeMeanVariance("Features"))
    .Append(ml.MulticlassClassification.Trainers.NeuralNet(Comparison.NeuralNetOptions))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

var watch = Stopwatch.StartNew();
ITransformer model = pipeline.Fit(split.TrainSet);
Console.WriteLine($"Trained on {split.TrainSet.GetRowCount() ?? CountRows(split.TrainSet)} rows in {watch.ElapsedMilliseconds} ms.");

MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"Held-out rows: {CountRows(split.TestSet)}; accuracy {metrics.MicroAccuracy:P1}, macro accuracy {metrics.MacroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string path = Path.GetFullPath("wine-model.zip");
ml.Model.Save(model, rows.Schema, path);
Console.WriteLine($"Saved {path} ({new FileInfo(path).Length:N0} bytes).");

// A serving process: a new context, the saved file, and one row.
var serving = new MLContext();
ITransformer loaded = serving.Model.Load(path, out _);
using PredictionEngine<WineRow, WinePrediction> engine = serving.Model.CreatePredictionEngine<WineRow, WinePrediction>(loaded);
WineRow wine = serving.Data.CreateEnumerable<WineRow>(split.TestSet, reuseRowObject: false).First();
WinePrediction prediction = engine.Predict(wine);
Console.WriteLine($"Loaded it back: the first held-out wine ({wine.Cultivar}) is predicted {prediction.Cultivar}, with probabilities {string.Join(", ", prediction.Score.Select(p => p.ToString("F3", CultureInfo.InvariantCulture)))}.");

static long CountRows(IDataView view)
{
    long count = 0;
    using DataViewRowCursor cursor = view.GetRowCursor([]);
    while (cursor.MoveNext())
    {
        count++;
    }

    return count;
}
