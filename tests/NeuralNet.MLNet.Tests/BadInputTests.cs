using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public class BadInputTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void A_missing_features_column_is_named()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions { FeatureColumnName = "Inputs" }).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*expects a features column 'Inputs' (a known-size vector of Single), but the data has no column 'Inputs'; it has: Features, Label*");
    }

    [Fact]
    public void A_missing_features_column_is_named_when_the_pipeline_is_checked_before_it_runs()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });
        var pipeline = _ml.Transforms.CopyColumns("Target", "Label").Append(_ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions { FeatureColumnName = "Inputs" }));

        // A pipeline checks every step's output schema before it fits the first one.
        Action fit = () => pipeline.Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*features column 'Inputs'*no column 'Inputs'*")
            .Which.StackTrace.Should().Contain(nameof(NeuralNetTrainer.GetOutputSchema));
    }

    [Fact]
    public void Features_of_Double_are_refused_naming_the_type()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new DoubleFeaturesRow { Features = [1, 2], Label = 1 } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*features column 'Features' to be a known-size vector of Single, but it is Vector<Double, 2>*");
    }

    [Fact]
    public void Features_of_unknown_size_are_refused()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new VariableFeaturesRow { Features = [1, 2], Label = 1 } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*features column 'Features' to be a known-size vector of Single, but it is Vector<Single>*");
    }

    [Fact]
    public void A_scalar_feature_column_is_refused()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow { Features = 1, Label = 1 } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*known-size vector of Single, but it is Single*");
    }

    [Fact]
    public void A_multiclass_label_that_is_not_a_key_is_refused_with_the_fix()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });

        Action fit = () => _ml.MulticlassClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*multiclass classification trainer expects the label column 'Label' to be a key, but it is Single*MapValueToKey*");
    }

    [Fact]
    public void A_binary_label_that_is_not_Boolean_is_refused()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });

        Action fit = () => _ml.BinaryClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*binary classification trainer expects the label column 'Label' to be Boolean, but it is Single*");
    }

    [Fact]
    public void A_regression_label_that_is_not_Single_is_refused()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new BinaryRow { Features = [1, 2, 3, 4], Label = true } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*regression trainer expects the label column 'Label' to be Single, but it is Boolean*");
    }

    [Fact]
    public void A_wrong_label_is_refused_when_the_pipeline_is_checked_before_it_runs()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });
        var pipeline = _ml.Transforms.CopyColumns("Target", "Label").Append(_ml.BinaryClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions()));

        Action fit = () => pipeline.Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*label column 'Label' to be Boolean, but it is Single*")
            .Which.StackTrace.Should().Contain(nameof(NeuralNetTrainer.GetOutputSchema));
    }

    [Fact]
    public void NaN_in_the_features_names_the_row_and_slot()
    {
        var rows = Enumerable.Range(0, 10).Select(i => new RegressionRow { Features = [i, 1, 2, 3], Label = i }).ToArray();
        rows[6].Features[2] = float.NaN;
        IDataView data = _ml.Data.LoadFromEnumerable(rows);

        Action fit = () => _ml.Regression.Trainers.NeuralNet(new NeuralNetTrainerOptions()).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*expects finite features, but the features column 'Features' holds NaN at row 6 (slot 2)*ReplaceMissingValues*");
    }

    [Fact]
    public void A_value_the_label_key_does_not_know_names_the_row()
    {
        // Keys learned from the first rows only: a later row's class maps to the missing key 0.
        var rows = Enumerable.Range(0, 6).Select(i => new ClassRow { Features = [i, 1], Class = i < 5 ? (i % 2 == 0 ? "a" : "b") : "c" }).ToArray();
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        IDataView keyData = _ml.Data.LoadFromEnumerable(new[] { new ClassValue { Class = "a" }, new ClassValue { Class = "b" } });
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("Label", "Class", keyData: keyData)
            .Append(_ml.MulticlassClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions()));

        Action fit = () => pipeline.Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*label column 'Label' has a missing key at row 5*");
    }

    [Theory]
    [InlineData("Epochs", "*Epochs expects a positive number, but got 0*")]
    [InlineData("BatchSize", "*BatchSize expects a positive number, but got 0*")]
    [InlineData("LearningRate", "*LearningRate expects a positive finite number, but got 0*")]
    [InlineData("HiddenLayers", "*HiddenLayers expects a positive number of units per hidden layer, but got [8, 0]*")]
    [InlineData("ValidationFraction", "*ValidationFraction expects a fraction in [0, 1), but got 1*")]
    [InlineData("Activation", "*Activation expects the name of a registered activation (elu, gelu, *relu*, tanh), but got 'rectifier'*")]
    [InlineData("UpdateRule", "*UpdateRule expects the name of a registered update rule (adam, adamw, momentum, nesterov, plain, rmsprop), but got 'lion'*")]
    public void An_option_out_of_range_is_named_with_its_value(string option, string message)
    {
        NeuralNetTrainerOptions options = option switch
        {
            "Epochs" => new() { Epochs = 0 },
            "BatchSize" => new() { BatchSize = 0 },
            "LearningRate" => new() { LearningRate = 0 },
            "HiddenLayers" => new() { HiddenLayers = [8, 0] },
            "ValidationFraction" => new() { ValidationFraction = 1 },
            "Activation" => new() { Activation = "rectifier" },
            _ => new() { UpdateRule = "lion" },
        };
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = [1, 2, 3, 4], Label = 1 } });

        Action fit = () => _ml.Regression.Trainers.NeuralNet(options).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void A_trained_model_refuses_features_of_another_size()
    {
        NeuralNetPredictionTransformer model = _ml.Regression.Trainers.NeuralNet(Synthetic.Options with { Epochs = 1 }).Fit(Synthetic.Regression(_ml, 50, seed: 1));
        IDataView other = _ml.Data.LoadFromEnumerable(new[] { new TwoFeaturesRow { Features = [1, 2], Label = 1 } });

        Action transform = () => model.Transform(other);

        transform.Should().Throw<ArgumentException>().WithMessage("*expects the features column 'Features' to be a vector of 4 Single values (Vector<Single, 4>), as at training, but it is Vector<Single, 2>*");
    }

    public sealed class DoubleFeaturesRow
    {
        [VectorType(2)] public double[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class VariableFeaturesRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class ScalarFeatureRow
    {
        public float Features { get; set; }
        public float Label { get; set; }
    }

    public sealed class TwoFeaturesRow
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class ClassRow
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public string Class { get; set; } = "";
    }

    public sealed class ClassValue
    {
        public string Class { get; set; } = "";
    }
}
