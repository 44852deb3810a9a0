using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public class MulticlassTests
{
    [Fact]
    public void The_issues_pipeline_trains_and_MLNET_evaluates_it()
    {
        var ml = new MLContext(seed: 1);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(Wine.LoadShuffled(ml), testFraction: 0.3, seed: 1);
        ITransformer model = Wine.Pipeline(ml, Wine.Options).Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);

        metrics.MacroAccuracy.Should().BeGreaterThan(0.9);
        metrics.ConfusionMatrix.NumberOfClasses.Should().Be(3);
    }

    [Fact]
    public void Score_is_a_vector_of_class_probabilities_and_PredictedLabel_a_key_of_the_labels_values()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Wine.LoadShuffled(ml);
        ITransformer model = Wine.Features(ml).Append(ml.MulticlassClassification.Trainers.NeuralNet(Wine.Options)).Fit(data);
        IDataView scored = model.Transform(data);

        DataViewSchema.Column score = scored.Schema["Score"];
        score.Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(3);
        ((VectorDataViewType)score.Type).ItemType.Should().Be(NumberDataViewType.Single);
        DataViewSchema.Column predicted = scored.Schema["PredictedLabel"];
        predicted.Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(3);
        VBuffer<ReadOnlyMemory<char>> labelValues = default, predictedValues = default;
        scored.Schema["Label"].GetKeyValues(ref labelValues);
        predicted.GetKeyValues(ref predictedValues);
        predictedValues.DenseValues().Select(v => v.ToString()).Should().Equal(labelValues.DenseValues().Select(v => v.ToString()));
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        slotNames.DenseValues().Select(v => v.ToString()).Should().Equal(labelValues.DenseValues().Select(v => v.ToString()), "each probability is named by its class");

        // Every row: probabilities summing to 1, and the predicted key is the top score's class (keys count from 1).
        using DataViewRowCursor cursor = scored.GetRowCursor([score, predicted]);
        ValueGetter<VBuffer<float>> getScore = cursor.GetGetter<VBuffer<float>>(score);
        ValueGetter<uint> getPredicted = cursor.GetGetter<uint>(predicted);
        VBuffer<float> scores = default;
        uint key = 0;
        int rows = 0;
        while (cursor.MoveNext())
        {
            getScore(ref scores);
            getPredicted(ref key);
            float[] p = scores.DenseValues().ToArray();
            p.Sum().Should().BeApproximately(1f, 1e-5f);
            p.Should().OnlyContain(v => v >= 0 && v <= 1);
            key.Should().Be((uint)(Array.IndexOf(p, p.Max()) + 1));
            rows++;
        }

        rows.Should().Be(178);
    }

    [Fact]
    public void Scores_are_the_networks_own_predictions()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Wine.LoadShuffled(ml);
        var features = Wine.Features(ml).Fit(data);
        IDataView prepared = features.Transform(data);
        NeuralNetPredictionTransformer trained = ml.MulticlassClassification.Trainers.NeuralNet(Wine.Options).Fit(prepared);
        IDataView scored = trained.Transform(prepared);

        float[][] inputs = [.. prepared.GetColumn<float[]>("Features")];
        float[][] scores = [.. scored.GetColumn<float[]>("Score")];
        Network<float> network = trained.Model.Network!;
        for (int i = 0; i < inputs.Length; i++)
        {
            float[] expected = network.Predict(inputs[i]);
            scores[i].Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-5f, $"row {i} is scored by the ONNX copy of the network");
        }
    }

    [Fact]
    public void CrossValidate_trains_and_scores_every_fold()
    {
        var ml = new MLContext(seed: 1);
        IDataView prepared = Wine.Features(ml).Fit(Wine.Load(ml)).Transform(Wine.Load(ml));

        var folds = ml.MulticlassClassification.CrossValidate(prepared, ml.MulticlassClassification.Trainers.NeuralNet(Wine.Options), numberOfFolds: 3, seed: 1);

        folds.Should().HaveCount(3);
        folds.Should().OnlyContain(fold => fold.Metrics.MacroAccuracy > 0.85);
        folds.Select(fold => fold.Model).Should().AllBeOfType<NeuralNetPredictionTransformer>();
    }

    [Fact]
    public void Permutation_feature_importance_finds_that_shuffling_features_costs_accuracy()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Wine.LoadShuffled(ml);
        IDataView prepared = Wine.Features(ml).Fit(data).Transform(data);
        NeuralNetPredictionTransformer trained = ml.MulticlassClassification.Trainers.NeuralNet(Wine.Options).Fit(prepared);

        ImmutableArray<MulticlassClassificationMetricsStatistics> importance = ml.MulticlassClassification.PermutationFeatureImportance(trained, prepared, permutationCount: 2);

        importance.Should().HaveCount(Wine.Measurements.Length);
        importance.Min(slot => slot.MacroAccuracy.Mean).Should().BeLessThan(-0.02, "shuffling the most useful measurement loses accuracy");
    }

    [Fact]
    public void PredictionEngine_predicts_one_row_with_the_labels_own_value()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Wine.LoadShuffled(ml);
        ITransformer model = Wine.Pipeline(ml, Wine.Options).Fit(data);
        WineRow first = ml.Data.CreateEnumerable<WineRow>(Wine.Load(ml), reuseRowObject: false).First();

        using PredictionEngine<WineRow, WinePrediction> engine = ml.Model.CreatePredictionEngine<WineRow, WinePrediction>(model);
        WinePrediction prediction = engine.Predict(first);

        prediction.PredictedLabel.Should().Be(first.Cultivar, "the first wine is a clear Cultivar1");
        prediction.Score.Should().HaveCount(3);
        prediction.Score.Max().Should().BeGreaterThan(0.5f);
    }

    [Fact]
    public void A_label_whose_values_are_numbers_comes_back_as_numbers()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 90).Select(i => new NumberLabelRow { Features = [i % 3, (i % 3) * 2 - 1], Label = (i % 3) * 10 + 5 }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.NeuralNet(Wine.Options with { Epochs = 100 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        IDataView scored = pipeline.Fit(data).Transform(data);

        scored.GetColumn<float>("PredictedLabel").Should().Equal(rows.Select(row => row.Label));
    }

    public sealed class NumberLabelRow
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
