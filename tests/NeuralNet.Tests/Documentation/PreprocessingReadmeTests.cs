using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Documentation;

/// <summary>
/// The README's section on preprocessing and names inside the model is this code: each block between the
/// <c>README</c> markers appears in the README verbatim (less its indentation), and runs here on data made to look like
/// what it describes.
/// </summary>
public class PreprocessingReadmeTests
{
    [Fact]
    public void The_classifier_example_runs_and_answers_with_class_names_from_raw_features()
    {
        string directory = Directory.CreateTempSubdirectory("readme-").FullName;
        try
        {
            (Dataset<float> train, Dataset<float> test) = Iris(seed: 1);
            string[] featureNames = ["sepal length", "sepal width", "petal length", "petal width"];
            string path = Path.Combine(directory, "iris.nnet");

            // README: classifier
            // Fit the statistics on the training data only; the network keeps them and takes raw features.
            Network<float> network = Network.Sequential(4)
                .WithFeatureNames(featureNames)
                .Normalize(new StandardScaler<float>().Fit(train))   // (x − mean) / std, a layer without parameters
                .Dense(16, Activation.Relu)
                .Dense(3)
                .Build(Loss.SoftmaxCrossEntropy, seed: 1);
            network.Fit(train, new TrainingOptions { Epochs = 100, Seed = 1 });   // takes train.ClassNames
            network.Save(path);                                                 // names and statistics inside

            Network<float> served = Network.Load<float>(path);
            string label = served.PredictLabel([5.1f, 3.5f, 1.4f, 0.2f]);       // "setosa"
            Console.WriteLine(new ConfusionMatrix(test.Labels!, served.PredictClasses(test.Features), served.ClassNames!));
            // README: end

            label.Should().Be("setosa");
            served.FeatureNames.Should().Equal(featureNames);
            served.ClassNames.Should().Equal("setosa", "versicolor", "virginica");
            served.Accuracy(test.Features, test.Labels!).Should().BeGreaterThan(0.9);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_regression_example_predicts_in_the_targets_units()
    {
        (Dataset<double> train, Dataset<double> test) = Houses(seed: 2);

        // README: regression
        var targets = new StandardScaler<double>().Fit(train.Targets);       // prices, in the hundreds of thousands
        Network<double> regressor = Network.Sequential<double>(3)
            .Normalize(new StandardScaler<double>().Fit(train))
            .Dense(32, Activation.Relu)
            .Dense(1)
            .WithTargetScaler(targets)
            .Build(Loss.MeanSquaredError, seed: 1);
        regressor.Fit(train.Features, targets.Transform(train.Targets), new TrainingOptions { Epochs = 200, Seed = 1 });
        Matrix<double> prices = regressor.PredictInTargetUnits(test.Features);   // in the targets' units again
        // README: end

        Metrics.RSquared(test.Targets, prices).Should().BeGreaterThan(0.9);
        prices.Column(0).Average().Should().BeInRange(1.5e5, 3.5e5, "the predictions are prices, not standardised values");
    }

    [Fact]
    public void The_readme_holds_each_example_verbatim()
    {
        string root = Repository.Root();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string[] source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "Documentation", "PreprocessingReadmeTests.cs")).ReplaceLineEndings("\n").Split('\n');

        foreach (string name in new[] { "classifier", "regression" })
        {
            int start = Array.FindIndex(source, l => l.Trim() == $"// README: {name}") + 1;
            int end = Array.FindIndex(source, start, l => l.Trim() == "// README: end");
            start.Should().BeGreaterThan(0);
            int indent = source[start].Length - source[start].TrimStart().Length;
            string block = string.Join("\n", source[start..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

            readme.Should().Contain("```csharp\n" + block + "\n```", because: $"the README's {name} example is the code this test runs");
        }
    }

    /// <summary>Three classes of four measurements around Fisher's iris means, with their names, as a CSV file would give them.</summary>
    private static (Dataset<float> Train, Dataset<float> Test) Iris(int seed)
    {
        double[][] centres = [[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]];
        int[] labels = [.. Enumerable.Range(0, 150).Select(i => i % 3)];
        Matrix<float> x = TestData.Blobs<float>(new Random(seed), centres, labels, 0.25);
        Dataset<float> all = Dataset.ForClassification(x, labels, 3, ["setosa", "versicolor", "virginica"]);
        return all.Split(0.2, seed, stratify: true);
    }

    /// <summary>House prices from three features on very different scales.</summary>
    private static (Dataset<double> Train, Dataset<double> Test) Houses(int seed)
    {
        var random = new Random(seed);
        Matrix<double> x = Matrix<double>.Build.Dense(300, 3, (_, j) => j switch
        {
            0 => 50 + (150 * random.NextDouble()),   // area in m²
            1 => 1 + random.Next(6),                 // rooms
            _ => 1950 + (70 * random.NextDouble()),  // year built
        });
        Matrix<double> y = Matrix<double>.Build.Dense(300, 1, (i, _) => (1500 * x[i, 0]) + (10_000 * x[i, 1]) + (1000 * (x[i, 2] - 1950)) - 20_000);
        return Dataset.ForRegression(x, y).Split(0.2, seed);
    }
}
