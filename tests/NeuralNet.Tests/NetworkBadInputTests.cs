using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// Malformed data handed to a <see cref="Network{T}"/>: every case must fail with an argument exception whose
/// message says both what the network expected and what it was given, so a caller can fix the call from the
/// message alone.
/// </summary>
public class NetworkBadInputTests
{
    // A 4→3 classifier: 4 and 3 differ, and neither equals the wrong sizes used below, so a message that
    // printed the wrong number would not match by accident.
    private static Network<double> Classifier() =>
        Network.Sequential<double>(4).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 11);

    [Fact]
    public void Fit_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(1234);
        Network<double> network = Classifier();

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 5), TestData.RandomOneHot(random, 10, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 4 columns in inputs*10×5*")
            .And.ParamName.Should().Be("inputs");
    }

    [Fact]
    public void Predict_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(1235);
        Network<double> network = Classifier();

        Action act = () => network.Predict(TestData.RandomMatrix(random, 10, 5));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 4 columns in inputs*10×5*");
    }

    [Fact]
    public void Infer_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(1236);
        Network<double> network = Classifier();

        Action act = () => network.Infer(TestData.RandomMatrix(random, 10, 5));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 4 columns in inputs*10×5*");
    }

    [Fact]
    public void ComputeLoss_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(1237);
        Network<double> network = Classifier();

        Action act = () => network.ComputeLoss(TestData.RandomMatrix(random, 10, 5), TestData.RandomOneHot(random, 10, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 4 columns in inputs*10×5*");
    }

    [Fact]
    public void Backpropagate_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(1238);
        Network<double> network = Classifier();

        Action act = () => network.Backpropagate(TestData.RandomMatrix(random, 10, 5), TestData.RandomOneHot(random, 10, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 4 columns in inputs*10×5*");
    }

    [Fact]
    public void Fit_rejects_targets_with_the_wrong_number_of_columns()
    {
        var random = new Random(1239);
        Network<double> network = Classifier();

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), TestData.RandomOneHot(random, 10, 2));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 3 columns in targets*10×2*")
            .And.ParamName.Should().Be("targets");
    }

    [Fact]
    public void ComputeLoss_rejects_targets_with_the_wrong_number_of_columns()
    {
        var random = new Random(1240);
        Network<double> network = Classifier();

        Action act = () => network.ComputeLoss(TestData.RandomMatrix(random, 10, 4), TestData.RandomOneHot(random, 10, 5));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects 3 columns in targets*10×5*");
    }

    [Fact]
    public void Fit_rejects_inputs_without_rows()
    {
        Network<double> network = Classifier();

        Action act = () => network.Fit(Matrix<double>.Build.Dense(0, 4), Matrix<double>.Build.Dense(0, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*inputs*at least one row (sample)*empty 0×4*");
    }

    [Fact]
    public void Fit_with_labels_rejects_inputs_without_rows()
    {
        Network<double> network = Classifier();

        Action act = () => network.Fit(Matrix<double>.Build.Dense(0, 4), Array.Empty<int>());

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*inputs*at least one row (sample)*empty 0×4*");
    }

    [Fact]
    public void Predict_rejects_inputs_without_rows()
    {
        Network<double> network = Classifier();

        Action act = () => network.Predict(Matrix<double>.Build.Dense(0, 4));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one row (sample)*empty 0×4*");
    }

    [Fact]
    public void Fit_rejects_fewer_labels_than_samples()
    {
        var random = new Random(1241);
        Network<double> network = Classifier();

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), TestData.RandomLabels(random, 9, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*one label per sample*10 samples*9 labels*")
            .And.ParamName.Should().Be("labels");
    }

    [Fact]
    public void Accuracy_rejects_more_labels_than_samples()
    {
        var random = new Random(1242);
        Network<double> network = Classifier();

        Action act = () => network.Accuracy(TestData.RandomMatrix(random, 10, 4), TestData.RandomLabels(random, 12, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*one label per sample*10 samples*12 labels*");
    }

    [Fact]
    public void Fit_rejects_targets_with_fewer_rows_than_samples()
    {
        var random = new Random(1243);
        Network<double> network = Classifier();

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), TestData.RandomOneHot(random, 9, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*one target per sample*10 samples*9 rows*");
    }

    [Fact]
    public void Fit_rejects_a_negative_label_naming_its_position_and_the_valid_range()
    {
        var random = new Random(1244);
        Network<double> network = Classifier();
        int[] labels = TestData.RandomLabels(random, 10, 3);
        labels[7] = -1;

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), labels);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*labels in [0, 2]*index 7 is -1*");
    }

    [Fact]
    public void Fit_rejects_a_label_equal_to_the_class_count()
    {
        var random = new Random(1245);
        Network<double> network = Classifier();
        int[] labels = TestData.RandomLabels(random, 10, 3);
        labels[4] = 3;

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), labels);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*labels in [0, 2]*index 4 is 3*");
    }

    [Fact]
    public void Fit_rejects_label_2_for_a_single_output_network()
    {
        // One output encodes two classes (0 and 1), so 2 is out of range although OutputSize is 1.
        var random = new Random(1246);
        Network<double> network = Network.Sequential<double>(4).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 3);
        int[] labels = TestData.RandomLabels(random, 10, 2);
        labels[2] = 2;

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), labels);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*labels in [0, 1]*index 2 is 2*");
    }

    [Fact]
    public void Fit_rejects_NaN_in_inputs_naming_its_row_and_column()
    {
        var random = new Random(1247);
        Network<double> network = Classifier();
        Matrix<double> inputs = TestData.RandomMatrix(random, 10, 4);
        inputs[6, 2] = double.NaN;

        Action act = () => network.Fit(inputs, TestData.RandomOneHot(random, 10, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*inputs must be finite*row 6, column 2*NaN*");
    }

    [Fact]
    public void Fit_rejects_positive_infinity_in_inputs_naming_its_row_and_column()
    {
        var random = new Random(1248);
        Network<double> network = Classifier();
        Matrix<double> inputs = TestData.RandomMatrix(random, 10, 4);
        inputs[3, 0] = double.PositiveInfinity;

        Action act = () => network.Fit(inputs, TestData.RandomLabels(random, 10, 3));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*inputs must be finite*row 3, column 0*Infinity*");
    }

    [Fact]
    public void Fit_rejects_NaN_in_targets_naming_its_row_and_column()
    {
        var random = new Random(1249);
        Network<double> network = Classifier();
        Matrix<double> targets = TestData.RandomOneHot(random, 10, 3);
        targets[8, 1] = double.NaN;

        Action act = () => network.Fit(TestData.RandomMatrix(random, 10, 4), targets);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*targets must be finite*row 8, column 1*NaN*");
    }

    [Fact]
    public void Predict_of_one_sample_rejects_the_wrong_feature_count()
    {
        Network<double> network = Classifier();

        Action act = () => network.Predict(new double[] { 0.1, 0.2, 0.3 });

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*expects a sample of 4 features*got 3*");
    }

    // The data cases are malformed only in their last row or label, so an implementation that validated lazily,
    // batch by batch, would already have taken steps before noticing.
    [Theory]
    [InlineData("NaN in the last input row")]
    [InlineData("infinity in the last target row")]
    [InlineData("label out of range at the end")]
    [InlineData("zero learning rate")]
    public void A_failed_Fit_leaves_every_parameter_unchanged(string failure)
    {
        var random = new Random(1250);
        Network<double> network = Network.Sequential<double>(4).Dense(5, Activation.Tanh).Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 5);
        double[][] before = [.. network.Parameters.Select(p => p.Value.ToColumnMajorArray())];
        Matrix<double> inputs = TestData.RandomMatrix(random, 10, 4);
        Matrix<double> targets = TestData.RandomOneHot(random, 10, 3);
        int[] labels = TestData.RandomLabels(random, 10, 3);
        var options = new TrainingOptions { Epochs = 2, LearningRate = 0.5, GradientDescent = new MiniBatchGradientDescent(2) };

        Action act = failure switch
        {
            "NaN in the last input row" => () => { inputs[9, 3] = double.NaN; network.Fit(inputs, targets, options); },
            "infinity in the last target row" => () => { targets[9, 2] = double.PositiveInfinity; network.Fit(inputs, targets, options); },
            "label out of range at the end" => () => { labels[9] = 3; network.Fit(inputs, labels, options); },
            "zero learning rate" => () => network.Fit(inputs, targets, options with { LearningRate = 0 }),
            _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "Unknown case."),
        };

        act.Should().Throw<ArgumentException>();
        AssertUnchanged(network, before);
    }

    // The control for the test above: without it, a Fit that never moved anything would pass there too.
    [Fact]
    public void A_successful_Fit_with_the_same_setup_moves_the_parameters()
    {
        var random = new Random(1250);
        Network<double> network = Network.Sequential<double>(4).Dense(5, Activation.Tanh).Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 5);
        double[] before = network.Parameters[0].Value.ToColumnMajorArray();
        var options = new TrainingOptions { Epochs = 2, LearningRate = 0.5, GradientDescent = new MiniBatchGradientDescent(2) };

        network.Fit(TestData.RandomMatrix(random, 10, 4), TestData.RandomOneHot(random, 10, 3), options);

        network.Parameters[0].Value.ToColumnMajorArray().Should().NotEqual(before);
    }

    private static void AssertUnchanged(Network<double> network, double[][] before)
    {
        for (int p = 0; p < before.Length; p++)
        {
            network.Parameters[p].Value.ToColumnMajorArray().Should().Equal(before[p], because: $"parameter {p} must not move when Fit rejects its input");
        }
    }

    [Fact]
    public void A_sample_whose_prediction_is_not_finite_has_no_class_and_is_refused_naming_it()
    {
        // Predict passes NaN through (it does not scan inputs); the class-returning calls must not turn it into class 0.
        Network<double> network = Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        Matrix<double> inputs = Matrix<double>.Build.Dense(3, 2, 0.5);
        inputs[1, 0] = double.NaN;

        network.Predict(inputs).Row(1).Enumerate().Should().OnlyContain(p => double.IsNaN(p));
        FluentActions.Invoking(() => network.PredictClasses(inputs)).Should().Throw<ArgumentException>().WithMessage("*sample 1*not finite*no class*").And.ParamName.Should().Be("inputs");
        FluentActions.Invoking(() => network.Accuracy(inputs, [0, 1, 0])).Should().Throw<ArgumentException>().WithMessage("*sample 1*");
    }
}
