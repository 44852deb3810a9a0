using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public class BinaryTests
{
    [Fact]
    public void Evaluate_reads_Score_Probability_and_PredictedLabel_of_held_out_rows()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetPredictionTransformer model = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options).Fit(Synthetic.Binary(ml, 600, seed: 1));
        IDataView scored = model.Transform(Synthetic.Binary(ml, 300, seed: 2));

        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(scored);

        metrics.Accuracy.Should().BeGreaterThan(0.9);
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.95);
        metrics.LogLoss.Should().BeLessThan(0.4);
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
    }

    [Fact]
    public void Probability_is_the_sigmoid_of_the_score_and_PredictedLabel_its_sign()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Synthetic.Binary(ml, 200, seed: 1);
        IDataView scored = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options with { Epochs = 5 }).Fit(data).Transform(data);

        BinaryPrediction[] predictions = [.. ml.Data.CreateEnumerable<BinaryPrediction>(scored, reuseRowObject: false)];

        predictions.Should().OnlyContain(p => Math.Abs(p.Probability - (1 / (1 + MathF.Exp(-p.Score)))) < 1e-5f && p.PredictedLabel == (p.Score > 0));
        predictions.Select(p => p.PredictedLabel).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void CrossValidate_scores_every_fold()
    {
        var ml = new MLContext(seed: 1);

        var folds = ml.BinaryClassification.CrossValidate(Synthetic.Binary(ml, 600, seed: 1), ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options), numberOfFolds: 3, seed: 1);

        folds.Should().HaveCount(3);
        folds.Should().OnlyContain(fold => fold.Metrics.Accuracy > 0.88 && fold.Metrics.AreaUnderRocCurve > 0.95);
    }

    [Fact]
    public void Permutation_feature_importance_ranks_the_features_by_their_weight_in_the_rule()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Synthetic.Binary(ml, 600, seed: 1);
        NeuralNetPredictionTransformer model = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options).Fit(data);

        ImmutableArray<BinaryClassificationMetricsStatistics> importance = ml.BinaryClassification.PermutationFeatureImportance(model, data, permutationCount: 2);

        // The rule is 2·x0 − x1 + 0.5·x2·x3: x0 matters most, then x1; shuffling either costs AUC.
        double[] drops = [.. importance.Select(slot => -slot.AreaUnderRocCurve.Mean)];
        drops.Should().HaveCount(Synthetic.FeatureCount);
        drops[0].Should().BeGreaterThan(drops[1]);
        drops[1].Should().BeGreaterThan(drops[2]);
        drops[1].Should().BeGreaterThan(drops[3]);
    }

    [Fact]
    public void PredictionEngine_predicts_one_row()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetPredictionTransformer model = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options).Fit(Synthetic.Binary(ml, 600, seed: 1));
        using PredictionEngine<BinaryRow, BinaryPrediction> engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);

        BinaryPrediction positive = engine.Predict(new BinaryRow { Features = [1.5f, -1.5f, 0, 0] });
        BinaryPrediction negative = engine.Predict(new BinaryRow { Features = [-1.5f, 1.5f, 0, 0] });

        positive.PredictedLabel.Should().BeTrue();
        positive.Probability.Should().BeGreaterThan(0.9f);
        negative.PredictedLabel.Should().BeFalse();
        negative.Probability.Should().BeLessThan(0.1f);
    }
}
