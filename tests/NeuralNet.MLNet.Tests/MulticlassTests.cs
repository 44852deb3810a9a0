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

        // Evaluate reads Label, Score and PredictedLabel: the key column of the label survives MapKeyToValue's output.
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);

        metrics.MacroAccuracy.Should().BeGreaterThan(0.9);
        metrics.ConfusionMatrix.NumberOfClasses.Should().Be(3);
    }
}
