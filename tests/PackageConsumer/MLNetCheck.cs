using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet;

/// <summary>
/// The NeuralNet.MLNet package as an ML.NET user has it: a binary trainer in a pipeline learns XOR, the model is saved
/// with ml.Model.Save, loaded by a new MLContext, and predicts the same.
/// </summary>
internal static class MLNetCheck
{
    /// <summary>Null when all holds, else why not.</summary>
    public static string? Run()
    {
        Console.WriteLine($"NeuralNet.MLNet from {typeof(NeuralNetCatalog).Assembly.Location}");
        var ml = new MLContext(seed: 1);
        Point[] points = [.. Enumerable.Range(0, 64).Select(i => new Point { X = (i & 1), Y = (i >> 1) & 1, Label = ((i & 1) ^ ((i >> 1) & 1)) == 1 })];
        IDataView data = ml.Data.LoadFromEnumerable(points);
        var pipeline = ml.Transforms.Concatenate("Features", nameof(Point.X), nameof(Point.Y))
            .Append(ml.BinaryClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions { HiddenLayers = [8], Activation = "tanh", Epochs = 200, BatchSize = 16, LearningRate = 0.05, Seed = 1 }));
        ITransformer model = pipeline.Fit(data);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        if (metrics.Accuracy < 1)
        {
            return $"the NeuralNet.MLNet binary trainer reached accuracy {metrics.Accuracy:P1} on XOR; expected 100 %.";
        }

        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-consumer-{Environment.ProcessId}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ITransformer loaded = new MLContext().Model.Load(path, out _);
            float[] before = [.. model.Transform(data).GetColumn<float>("Probability")];
            float[] after = [.. loaded.Transform(data).GetColumn<float>("Probability")];
            if (!before.SequenceEqual(after))
            {
                return "the ML.NET model saved and loaded back predicts different probabilities.";
            }

            Console.WriteLine($"NeuralNet.MLNet: XOR learned in an ML.NET pipeline (AUC {metrics.AreaUnderRocCurve:F3}); saved as {new FileInfo(path).Length} bytes and loaded by a new MLContext with identical probabilities.");
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class Point
    {
        public float X { get; set; }
        public float Y { get; set; }
        public bool Label { get; set; }
    }
}
