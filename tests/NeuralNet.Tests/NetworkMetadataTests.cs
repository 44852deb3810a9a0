using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// Names and the target scaler on a network: set at build or by training on named data, checked against the network
/// (a count mismatch names both counts), and used by <c>PredictLabel</c> and <c>PredictInTargetUnits</c>.
/// </summary>
public class NetworkMetadataTests
{
    private static readonly double[][] Centres = [[-2, 0], [2, 0], [0, 3]];

    private static Dataset<double> Blobs(int seed, IReadOnlyList<string>? names = null)
    {
        int[] labels = [.. Enumerable.Range(0, 30).Select(i => i % 3)];
        Matrix<double> x = TestData.Blobs<double>(new Random(seed), Centres, labels, 0.3);
        return Dataset.ForClassification(x, labels, 3, names);
    }

    private static Network<double> Classifier() => Network.Sequential<double>(2).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 1);

    private static Network<double> Regressor(int outputs = 2) => Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(outputs).Build(Loss.MeanSquaredError, seed: 2);

    [Fact]
    public void Names_given_to_the_builder_are_the_networks()
    {
        Network<double> network = Network.Sequential<double>(2).WithFeatureNames(["width", "height"]).Dense(3).WithClassNames(["a", "b", "c"]).Build(Loss.SoftmaxCrossEntropy);

        network.FeatureNames.Should().Equal("width", "height");
        network.ClassNames.Should().Equal("a", "b", "c");
    }

    [Fact]
    public void A_single_sigmoid_output_takes_two_class_names()
    {
        Network<double> network = Network.Sequential<double>(2).Dense(1).WithClassNames(["no", "yes"]).Build(Loss.SigmoidBinaryCrossEntropy);

        network.ClassNames.Should().Equal("no", "yes");
        foreach (double[] sample in new[] { new[] { 3.0, -1.0 }, new[] { -3.0, 1.0 } })
        {
            int predicted = network.PredictClasses(Matrix<double>.Build.DenseOfRowArrays(sample))[0];
            network.PredictLabel(sample).Should().Be(predicted == 1 ? "yes" : "no");
        }
    }

    [Fact]
    public void Name_counts_that_do_not_match_the_network_are_refused_naming_both_counts()
    {
        Network<double> network = Classifier();

        Action classes = () => network.ClassNames = ["a", "b"];
        Action features = () => network.FeatureNames = ["x", "y", "z"];
        Action atBuild = () => Network.Sequential<double>(2).Dense(4).WithClassNames(["a", "b", "c"]).Build(Loss.SoftmaxCrossEntropy);
        Action builderFeatures = () => Network.Sequential<double>(2).WithFeatureNames(["x"]);

        classes.Should().Throw<ArgumentException>().WithMessage("Network(2→3) separates 3 classes, so it needs 3 class names, but got 2.*");
        features.Should().Throw<ArgumentException>().WithMessage("Network(2→3) takes 2 features, so it needs 2 feature names, but got 3.*");
        atBuild.Should().Throw<ArgumentException>().WithMessage("Network(2→4) separates 4 classes, so it needs 4 class names, but got 3.*");
        builderFeatures.Should().Throw<ArgumentException>().WithMessage("*takes 2 features, so it needs 2 feature names, but got 1.*").And.ParamName.Should().Be("names");
        network.ClassNames.Should().BeNull("a refused list is not kept");
    }

    [Fact]
    public void Class_names_must_be_distinct_and_no_name_may_be_null()
    {
        Network<double> network = Classifier();

        Action twice = () => network.ClassNames = ["cat", "dog", "cat"];
        Action missing = () => network.FeatureNames = ["x", null!];

        twice.Should().Throw<ArgumentException>().WithMessage("Class names must be distinct, but classes 0 and 2 are both named 'cat'.*");
        missing.Should().Throw<ArgumentException>().WithMessage("Expected a feature name at position 1, but got null.*");
    }

    [Fact]
    public void Names_can_be_cleared_and_are_copied_when_set()
    {
        Network<double> network = Classifier();
        string[] names = ["a", "b", "c"];

        network.ClassNames = names;
        names[0] = "changed";

        network.ClassNames.Should().Equal("a", "b", "c");
        network.ClassNames = null;
        network.ClassNames.Should().BeNull();
    }

    [Fact]
    public void PredictLabel_and_PredictLabels_return_the_names_of_the_predicted_classes()
    {
        Dataset<double> data = Blobs(11, ["left", "right", "top"]);
        Network<double> network = Classifier();
        network.Fit(data, new TrainingOptions { Epochs = 60, LearningRate = 0.2, Seed = 3 });

        string[] labels = network.PredictLabels(data.Features);
        int[] classes = network.PredictClasses(data.Features);

        labels.Should().Equal(classes.Select(c => data.ClassNames![c]));
        network.PredictLabel([-2.0, 0.0]).Should().Be("left");
        network.PredictLabel([0.0, 3.0]).Should().Be("top");
        network.Accuracy(data.Features, data.Labels!).Should().BeGreaterThan(0.9, "the names are only worth checking on a network that separates the blobs");
    }

    [Fact]
    public void PredictLabel_without_class_names_says_how_to_give_them()
    {
        Action act = () => Classifier().PredictLabel([0.0, 0.0]);

        act.Should().Throw<InvalidOperationException>().WithMessage("Network(2→3) has no class names: give them with NetworkBuilder.WithClassNames, set ClassNames, or train it on a dataset that names its classes.");
    }

    [Fact]
    public void Training_on_named_data_gives_a_network_without_names_the_datas_names()
    {
        Network<double> network = Classifier();

        network.Fit(Blobs(12, ["left", "right", "top"]), new TrainingOptions { Epochs = 1, Seed = 1 });

        network.ClassNames.Should().Equal("left", "right", "top");
    }

    [Fact]
    public void Training_on_data_that_names_the_classes_otherwise_is_refused_and_changes_nothing()
    {
        Network<double> network = Classifier();
        network.ClassNames = ["left", "right", "top"];
        double[] before = network.Parameters[0].Value.ToColumnMajorArray();

        Action act = () => network.Fit(Blobs(13, ["right", "left", "top"]), new TrainingOptions { Epochs = 1, Seed = 1 });

        act.Should().Throw<ArgumentException>().WithMessage("Network(2→3) names its classes ['left', 'right', 'top'], but train names them ['right', 'left', 'top']*").And.ParamName.Should().Be("train");
        network.Parameters[0].Value.ToColumnMajorArray().Should().Equal(before);
        network.ClassNames.Should().Equal("left", "right", "top");
    }

    [Fact]
    public void Validation_data_that_names_the_classes_otherwise_is_refused()
    {
        Network<double> network = Classifier();

        Action act = () => network.Fit(Blobs(14, ["a", "b", "c"]), new TrainingOptions { Epochs = 1, Seed = 1 }, validation: Blobs(15, ["a", "b", "d"]));

        act.Should().Throw<ArgumentException>().WithMessage("*names its classes ['a', 'b', 'c'], but validation names them ['a', 'b', 'd']*").And.ParamName.Should().Be("validation");
    }

    [Fact]
    public void Training_on_unnamed_data_keeps_the_networks_names()
    {
        Network<double> network = Classifier();
        network.ClassNames = ["x", "y", "z"];

        network.Fit(Blobs(16), new TrainingOptions { Epochs = 1, Seed = 1 });

        network.ClassNames.Should().Equal("x", "y", "z");
    }

    [Fact]
    public void Feature_names_of_training_data_are_taken_when_the_network_has_none_and_must_agree_otherwise()
    {
        // The hook training calls with a dataset's column names (Dataset.FeatureNames, read from a CSV header).
        Network<double> network = Classifier();

        network.AdoptFeatureNames(["x", "y"], "train");
        network.AdoptFeatureNames(null, "train");
        Action reordered = () => network.AdoptFeatureNames(["y", "x"], "train");
        Action count = () => Classifier().AdoptFeatureNames(["x", "y", "z"], "train");

        network.FeatureNames.Should().Equal("x", "y");
        reordered.Should().Throw<ArgumentException>().WithMessage("Network(2→3) names its features ['x', 'y'], but train names its columns ['y', 'x']; the columns may be in another order*").And.ParamName.Should().Be("train");
        count.Should().Throw<ArgumentException>().WithMessage("Network(2→3) takes 2 features, so it needs 2 feature names, but got 3.*");
    }

    [Fact]
    public void PredictInTargetUnits_maps_predictions_back_through_the_target_scaler()
    {
        var random = new Random(21);
        Matrix<double> x = TestData.RandomMatrix(random, 12, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(12, 2, (i, k) => (k == 0 ? 1000 : -5) + ((k == 0 ? 300 : 0.01) * (x[i, 0] + x[i, 1])));
        var targetScaler = new StandardScaler<double>().Fit(y);
        Network<double> network = Network.Sequential<double>(3).Dense(5, Activation.Tanh).Dense(2).WithTargetScaler(targetScaler).Build(Loss.MeanSquaredError, seed: 5);
        network.Fit(x, targetScaler.Transform(y), new TrainingOptions { Epochs = 200, LearningRate = 0.1, Seed = 2 });

        Matrix<double> inUnits = network.PredictInTargetUnits(x);

        inUnits.ToColumnMajorArray().Should().Equal(targetScaler.InverseTransform(network.Predict(x)).ToColumnMajorArray());
        network.PredictInTargetUnits([.. x.Row(3)]).Should().Equal(inUnits.Row(3).ToArray());
        Metrics.RSquared(y, inUnits).Should().BeGreaterThan(0.9, "a network trained on standardised targets predicts the raw ones once mapped back");
    }

    [Fact]
    public void PredictInTargetUnits_is_Predict_when_the_targets_were_never_scaled()
    {
        Network<double> network = Regressor();
        Matrix<double> x = TestData.RandomMatrix(new Random(22), 4, 3);

        network.PredictInTargetUnits(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void The_target_scaler_is_copied_so_refitting_it_changes_nothing()
    {
        var scaler = new StandardScaler<double>([10.0, 20.0], [2.0, 4.0]);
        Network<double> network = Regressor();
        network.TargetScaler = scaler;

        scaler.Fit(Matrix<double>.Build.Dense(3, 2, (i, j) => i * j));
        StandardScaler<double> got = network.TargetScaler!;
        got.Fit(Matrix<double>.Build.Dense(3, 2, (i, j) => i + j));

        network.TargetScaler!.Mean.Should().Equal(10.0, 20.0);
        network.TargetScaler.StandardDeviation.Should().Equal(2.0, 4.0);
    }

    [Fact]
    public void A_target_scaler_that_does_not_fit_the_network_is_refused()
    {
        Action width = () => Regressor(outputs: 2).TargetScaler = new StandardScaler<double>([1.0], [1.0]);
        Action classifier = () => Classifier().TargetScaler = new StandardScaler<double>([1.0, 2.0, 3.0], [1.0, 1.0, 1.0]);
        Action unfitted = () => Regressor().TargetScaler = new StandardScaler<double>();
        Action atBuild = () => Network.Sequential<double>(2).Dense(3).WithTargetScaler(new StandardScaler<double>([1.0], [2.0])).Build(Loss.MeanSquaredError);

        width.Should().Throw<ArgumentException>().WithMessage("Network(3→2) has 2 outputs, so its target scaler needs 2 features, but the scaler was fitted on 1.*");
        classifier.Should().Throw<ArgumentException>().WithMessage("*trained with softmax_cross_entropy, whose predictions are probabilities: a classifier has no target units*");
        unfitted.Should().Throw<InvalidOperationException>().WithMessage("The target scaler must be fitted*");
        atBuild.Should().Throw<ArgumentException>().WithMessage("Network(2→3) has 3 outputs*fitted on 1*");
    }

    [Fact]
    public void The_confusion_matrix_of_a_named_network_prints_the_class_names()
    {
        Dataset<double> data = Blobs(17, ["setosa", "versicolor", "virginica"]);
        Network<double> network = Classifier();
        network.Fit(data, new TrainingOptions { Epochs = 40, LearningRate = 0.2, Seed = 4 });

        var matrix = new ConfusionMatrix(data.Labels!, network.PredictClasses(data.Features), network.ClassNames!);
        string[] lines = matrix.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().Contain("setosa").And.Contain("versicolor").And.Contain("virginica");
        lines[1].TrimStart().Should().StartWith("setosa");
        lines[3].TrimStart().Should().StartWith("virginica");
    }
}
