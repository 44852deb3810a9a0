using Microsoft.ML.Data;

namespace MLNetSample;

/// <summary>One row of data/wine.csv: 13 measurements of a wine and its cultivar.</summary>
public sealed class WineRow
{
    /// <summary>The measurements, in the file's column order.</summary>
    public static readonly string[] Measurements =
    [
        nameof(Alcohol), nameof(MalicAcid), nameof(Ash), nameof(AlcalinityOfAsh), nameof(Magnesium), nameof(TotalPhenols),
        nameof(Flavanoids), nameof(NonflavanoidPhenols), nameof(Proanthocyanins), nameof(ColorIntensity), nameof(Hue),
        nameof(OD280OD315OfDilutedWines), nameof(Proline),
    ];

    [LoadColumn(0)] public float Alcohol { get; set; }
    [LoadColumn(1)] public float MalicAcid { get; set; }
    [LoadColumn(2)] public float Ash { get; set; }
    [LoadColumn(3)] public float AlcalinityOfAsh { get; set; }
    [LoadColumn(4)] public float Magnesium { get; set; }
    [LoadColumn(5)] public float TotalPhenols { get; set; }
    [LoadColumn(6)] public float Flavanoids { get; set; }
    [LoadColumn(7)] public float NonflavanoidPhenols { get; set; }
    [LoadColumn(8)] public float Proanthocyanins { get; set; }
    [LoadColumn(9)] public float ColorIntensity { get; set; }
    [LoadColumn(10)] public float Hue { get; set; }
    [LoadColumn(11)] public float OD280OD315OfDilutedWines { get; set; }
    [LoadColumn(12)] public float Proline { get; set; }
    [LoadColumn(13)] public string Cultivar { get; set; } = "";
}

/// <summary>What the pipeline predicts for a row: the cultivar and the probability of each.</summary>
public sealed class WinePrediction
{
    [ColumnName("PredictedLabel")] public string Cultivar { get; set; } = "";
    public float[] Score { get; set; } = [];
}
