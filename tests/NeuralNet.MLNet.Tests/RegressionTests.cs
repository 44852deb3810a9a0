using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public class RegressionTests
{
    [Fact]
    public void Evaluate_reads_a_Score_in_the_labels_own_units()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetPredictionTransformer model = ml.Regression.Trainers.NeuralNet(Synthetic.Options with { Epochs = 80 }).Fit(Synthetic.Regression(ml, 800, seed: 1));
        IDataView scored = model.Transform(Synthetic.Regression(ml, 300, seed: 2));

        RegressionMetrics metrics = ml.Regression.Evaluate(scored);

        // Labels spread over about ±80 around 100: an R² near 1 needs the standardised outputs mapped back.
        metrics.RSquared.Should().BeGreaterThan(0.98);
        metrics.MeanAbsoluteError.Should().BeLessThan(4);
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
    }

    [Fact]
    public void CrossValidate_scores_every_fold()
    {
        var ml = new MLContext(seed: 1);

        var folds = ml.Regression.CrossValidate(Synthetic.Regression(ml, 600, seed: 1), ml.Regression.Trainers.NeuralNet(Synthetic.Options), numberOfFolds: 3, seed: 1);

        folds.Should().HaveCount(3);
        folds.Should().OnlyContain(fold => fold.Metrics.RSquared > 0.95);
    }

    [Fact]
    public void Permutation_feature_importance_finds_the_noise_feature_unimportant()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Synthetic.Regression(ml, 600, seed: 1);
        NeuralNetPredictionTransformer model = ml.Regression.Trainers.NeuralNet(Synthetic.Options).Fit(data);

        ImmutableArray<RegressionMetricsStatistics> importance = ml.Regression.PermutationFeatureImportance(model, data, permutationCount: 2);

        // 30·x0 − 20·x1 + 10·sin(x2): shuffling x0 costs most R², then x1, then x2; x3 is noise.
        double[] drops = [.. importance.Select(slot => -slot.RSquared.Mean)];
        drops.Should().HaveCount(Synthetic.FeatureCount);
        drops[0].Should().BeGreaterThan(drops[1]);
        drops[1].Should().BeGreaterThan(drops[2]);
        drops[2].Should().BeGreaterThan(drops[3]);
        Math.Abs(drops[3]).Should().BeLessThan(0.02);
    }

    [Fact]
    public void PredictionEngine_predicts_one_row_near_the_rule()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetPredictionTransformer model = ml.Regression.Trainers.NeuralNet(Synthetic.Options with { Epochs = 80 }).Fit(Synthetic.Regression(ml, 800, seed: 1));
        using PredictionEngine<RegressionRow, RegressionPrediction> engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model);

        RegressionPrediction prediction = engine.Predict(new RegressionRow { Features = [1, -1, 0, 0.5f] });

        prediction.Score.Should().BeApproximately(150, 5, "30·1 − 20·(−1) + 10·sin 0 + 100");
    }

    [Fact]
    public void A_double_precision_network_scores_in_Single_like_the_others()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetPredictionTransformer model = ml.Regression.Trainers.NeuralNet(Synthetic.Options with { Epochs = 80, DoublePrecision = true }).Fit(Synthetic.Regression(ml, 800, seed: 1));
        IDataView test = Synthetic.Regression(ml, 300, seed: 2);
        IDataView scored = model.Transform(test);

        model.Model.Network.Should().BeNull();
        model.Model.DoubleNetwork.Should().NotBeNull();
        ml.Regression.Evaluate(scored).RSquared.Should().BeGreaterThan(0.98);
        float[][] inputs = [.. test.GetColumn<float[]>("Features")];
        float[] scores = [.. scored.GetColumn<float>("Score")];
        double[] expected = [.. inputs.Select(x => model.Model.DoubleNetwork!.PredictInTargetUnits([.. x.Select(v => (double)v)])[0])];
        scores.Select(s => (double)s).Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(b)));
    }
}
