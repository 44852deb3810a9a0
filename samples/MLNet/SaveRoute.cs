using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet;
using NeuralNet.MLNet;

namespace MLNetSample;

/// <summary>
/// What the ONNX route costs against NeuralNet's own inference, measured on the trained wine network: the saved sizes,
/// whether the scores agree, and the time to score one row and all rows each way.
/// </summary>
internal static class SaveRoute
{
    public static void Run(MLContext ml, IDataView rows, int repeats)
    {
        IDataView prepared = ml.Transforms.Conversion.MapValueToKey("Label", nameof(WineRow.Cultivar))
            .Append(ml.Transforms.Concatenate("Features", WineRow.Measurements))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Fit(rows).Transform(rows);
        prepared = ml.Data.Cache(prepared);
        using NeuralNetPredictionTransformer trained = ml.MulticlassClassification.Trainers.NeuralNet(Comparison.NeuralNetOptions).Fit(prepared);
        Network<float> network = trained.Model.Network!;
        float[][] features = [.. prepared.GetColumn<float[]>("Features")];
        Matrix<float> batch = Matrix<float>.Build.DenseOfRowArrays(features);

        string zip = Path.GetFullPath("wine-trainer.zip");
        ml.Model.Save(trained, prepared.Schema, zip);
        using var nnet = new MemoryStream();
        network.Save(nnet);
        var loading = Stopwatch.StartNew();
        ITransformer loaded = new MLContext().Model.Load(zip, out _);
        double loadMs = loading.Elapsed.TotalMilliseconds;

        float[][] scores = [.. loaded.Transform(prepared).GetColumn<float[]>("Score")];
        double maxDifference = 0;
        for (int i = 0; i < features.Length; i++)
        {
            float[] own = network.Predict(features[i]);
            maxDifference = Math.Max(maxDifference, own.Zip(scores[i], (a, b) => (double)Math.Abs(a - b)).Max());
        }

        using PredictionEngine<Row, Scores> engine = ml.Model.CreatePredictionEngine<Row, Scores>(loaded);
        Row[] inputs = [.. features.Select(f => new Row { Features = f })];
        double engineMicroseconds = PerCall(repeats, () => { foreach (Row row in inputs) { engine.Predict(row); } }) / inputs.Length;
        double ownMicroseconds = PerCall(repeats, () => { foreach (float[] row in features) { network.Predict(row); } }) / inputs.Length;
        int read = 0;
        double transformMs = PerCall(repeats, () => read = loaded.Transform(prepared).GetColumn<float[]>("Score").Count()) / 1000;
        double ownBatchMs = PerCall(repeats, () => network.Predict(batch)) / 1000;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Wine network {network} ({features.Length} rows; times are the median of {repeats} passes over all rows):
            | | ML.NET model (.zip, ONNX inside) | NeuralNet's own model format |
            | --- | ---: | ---: |
            | Saved size | {new FileInfo(zip).Length:N0} bytes | {nnet.Length:N0} bytes |
            | One row (PredictionEngine.Predict / Network.Predict(float[])) | {engineMicroseconds:F1} µs | {ownMicroseconds:F1} µs |
            | All {features.Length} rows (Transform and read Score / Network.Predict(matrix)) | {transformMs:F2} ms | {ownBatchMs:F3} ms |
            Rows read per pass: {read}. Largest |Score − Network.Predict| over all rows and classes after ml.Model.Load: {maxDifference:G3} (load took {loadMs:F0} ms).
            """));
    }

    /// <summary>The median over <paramref name="repeats"/> runs of <paramref name="action"/>, in microseconds.</summary>
    private static double PerCall(int repeats, Action action)
    {
        action();
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMicroseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private sealed class Row
    {
        [VectorType(13)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }
}
