using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuralNet.MLNet.Tests.TestSupport;

/// <summary>Seeded tabular data with a known rule, for the binary and regression trainers.</summary>
internal static class Synthetic
{
    public const int FeatureCount = 4;

    /// <summary>Label true when 2·x0 − x1 + 0.5·x2·x3 > 0; x3 only matters through its product with x2.</summary>
    public static IDataView Binary(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        var data = new List<BinaryRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            float[] x = Features(random);
            data.Add(new BinaryRow { Features = x, Label = (2 * x[0]) - x[1] + (0.5f * x[2] * x[3]) > 0 });
        }

        return ml.Data.LoadFromEnumerable(data);
    }

    /// <summary>Label 30·x0 − 20·x1 + 10·sin(x2) + 100 + small noise: a scale the trainer must standardise; x3 is noise.</summary>
    public static IDataView Regression(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        var data = new List<RegressionRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            float[] x = Features(random);
            float noise = (float)(random.NextDouble() - 0.5);
            data.Add(new RegressionRow { Features = x, Label = (30 * x[0]) - (20 * x[1]) + (10 * MathF.Sin(x[2])) + 100 + noise });
        }

        return ml.Data.LoadFromEnumerable(data);
    }

    public static NeuralNetTrainerOptions Options => new()
    {
        HiddenLayers = [16],
        Epochs = 40,
        BatchSize = 32,
        LearningRate = 0.01,
        Seed = 3,
    };

    private static float[] Features(Random random)
        => [.. Enumerable.Range(0, FeatureCount).Select(_ => (float)((random.NextDouble() * 4) - 2))];
}

public sealed class BinaryRow
{
    [VectorType(Synthetic.FeatureCount)] public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

public sealed class RegressionRow
{
    [VectorType(Synthetic.FeatureCount)] public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
}

public sealed class RegressionPrediction
{
    public float Score { get; set; }
}
