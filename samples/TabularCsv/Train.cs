using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Training;

namespace TabularCsv;

/// <summary>From a CSV file to a saved model and its ONNX export, with no glue: the README shows this code.</summary>
public static class Train
{
    /// <summary>Trains on <paramref name="csvPath"/>, prints the test set's classification report, saves the model to <paramref name="modelPath"/> and its ONNX export beside it.</summary>
    /// <param name="csvPath">The Palmer penguins raw table: 17 columns, of which the species and four measurements are read.</param>
    /// <param name="modelPath">Where the model goes; the ONNX file gets the same name with ".onnx".</param>
    /// <returns>The test set's classification report.</returns>
    public static ClassificationReport Run(string csvPath, string modelPath)
    {
        // README: tabular
        var options = new CsvOptions
        {
            TargetColumn = "Species",                     // "Adelie Penguin (Pygoscelis adeliae)", …
            FeatureColumns =                              // the 12 other columns (ids, text, isotopes) are skipped
                ["Culmen Length (mm)", "Culmen Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"],
            EmptyCells = CsvEmptyCells.FillWithMean,      // two birds were not measured
        };
        Dataset<float> data = Csv.Load<float>(csvPath, options);
        (Dataset<float> train, Dataset<float> validation, Dataset<float> test) =
            data.SplitThreeWays(validationFraction: 0.15, testFraction: 0.15, seed: 1, stratify: true);

        Network<float> network = Network.Sequential(data.FeatureCount)
            .Normalize(new StandardScaler<float>().Fit(train))   // statistics of the training part only
            .Dense(16, Activation.Relu)
            .Dense(data.ClassCount)
            .Build(Loss.SoftmaxCrossEntropy, seed: 1);
        network.Fit(train, new TrainingOptions
        {
            Epochs = 200,
            Seed = 1,
            EarlyStopping = new EarlyStopping(patience: 20) { Monitor = EarlyStoppingMetric.ValidationAccuracy },
        }, validation);

        var report = new ClassificationReport(test.Labels!, network.PredictClasses(test.Features), network.ClassNames!);
        Console.WriteLine(report);
        network.Save(modelPath);                                          // names and statistics inside
        OnnxModel.Export(network, Path.ChangeExtension(modelPath, ".onnx"));
        // README: end
        return report;
    }
}
