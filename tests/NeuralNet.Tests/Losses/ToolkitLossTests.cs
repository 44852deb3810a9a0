using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Losses;

/// <summary>
/// Huber, mean absolute error and class-weighted softmax cross-entropy: gradients against central differences,
/// values and gradients against PyTorch's for a fixed batch (Fixtures/pytorch/losses.json), and their preconditions.
/// </summary>
public class ToolkitLossTests(ITestOutputHelper output)
{
    /// <summary>The largest <c>|NeuralNet − PyTorch| / max(1, |PyTorch|)</c> allowed, all in float64.</summary>
    private const double PyTorchBound = 1e-14;

    private static readonly double[] Weights = [0.5, 2.0, 1.5, 0.25];

    public static TheoryData<string> Cases => new(
        "huber",
        "huber_delta_0.5",
        "huber_delta_3",
        "mean_absolute_error",
        "weighted_one_hot",
        "weighted_soft",
        "weighted_unnormalised");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_differences_of_Compute(string lossCase)
    {
        var random = new Random(5151);
        (Loss loss, Matrix<double> z, Matrix<double> y) = Draw(lossCase, random);

        Matrix<double> analytic = loss.Gradient(z, y);
        Matrix<double> numerical = GradientCheck.Numerical(() => loss.Compute(z, y), z);

        output.WriteLine($"{lossCase}: max relative error {GradientCheck.MaxRelativeError(analytic, numerical):G3}");
        GradientCheck.ShouldMatch(analytic, numerical, $"{lossCase} with respect to the output");
    }

    [Theory]
    [InlineData("huber", 1.0)]
    [InlineData("huber_delta_0.5", 0.5)]
    [InlineData("huber_delta_2.5", 2.5)]
    public void Huber_matches_PyTorch_HuberLoss(string record, double delta)
        => MatchesPyTorch(record, Loss.Huber(delta), TargetOf(record), divisor: 1);

    [Fact]
    public void Mean_absolute_error_matches_PyTorch_L1Loss_including_a_zero_gradient_where_output_equals_target()
        => MatchesPyTorch("mean_absolute_error", Loss.MeanAbsoluteError, TargetOf("mean_absolute_error"), divisor: 1);

    [Fact]
    public void Weighted_cross_entropy_on_one_hot_targets_matches_PyTorch_on_class_indices()
    {
        // PyTorch's CrossEntropyLoss(weight=w) on class indices: Σ w[y_i]·nll_i / Σ w[y_i].
        Matrix<double> oneHot = PyTorchReference.Matrix(PyTorchReference.Losses["weighted_cross_entropy_classes"]!["one_hot"]!);
        MatchesPyTorch("weighted_cross_entropy_classes", Loss.WeightedSoftmaxCrossEntropy(Weights), oneHot, divisor: 1);
    }

    [Fact]
    public void Weighted_cross_entropy_on_soft_targets_is_PyTorch_s_weighted_sum_over_the_targets_total_weight()
    {
        // PyTorch's per-sample loss for probability targets is −Σ_j w_j·y_ij·log p_ij; its sum over the batch
        // (reduction 'sum') divided by W = Σ_ij w_j·y_ij is this loss (see SoftmaxCrossEntropy's remarks).
        Matrix<double> soft = TargetOf("weighted_cross_entropy_soft_sum");
        double totalWeight = Enumerable.Range(0, soft.RowCount).Sum(i => Enumerable.Range(0, soft.ColumnCount).Sum(j => Weights[j] * soft[i, j]));

        MatchesPyTorch("weighted_cross_entropy_soft_sum", Loss.WeightedSoftmaxCrossEntropy(Weights), soft, divisor: totalWeight);
    }

    [Fact]
    public void Equal_weights_give_the_unweighted_loss_for_probability_targets()
    {
        var random = new Random(17);
        Matrix<double> z = TestData.RandomMatrix(random, 6, 4, limit: 3);
        Matrix<double> y = TestData.RandomOneHot(random, 6, 4);
        Loss weighted = Loss.WeightedSoftmaxCrossEntropy([2.5, 2.5, 2.5, 2.5]);

        weighted.Compute(z, y).Should().BeApproximately(Loss.SoftmaxCrossEntropy.Compute(z, y), 1e-14);
        GradientCheck.MaxRelativeError(weighted.Gradient(z, y), Loss.SoftmaxCrossEntropy.Gradient(z, y)).Should().BeLessThan(1e-13);
    }

    [Fact]
    public void A_batch_of_classes_that_weigh_nothing_has_loss_and_gradient_zero_not_NaN()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 2.0, -1.0 }, { 0.5, 0.0, 3.0 } });
        Matrix<double> y = TestData.OneHot([0, 0], 3);
        Loss loss = Loss.WeightedSoftmaxCrossEntropy([0.0, 1.0, 1.0]);

        loss.Compute(z, y).Should().Be(0);
        loss.Gradient(z, y).Enumerate().Should().OnlyContain(g => g == 0);
    }

    [Fact]
    public void Class_weights_travel_in_the_configuration_and_the_unweighted_loss_keeps_an_empty_one()
    {
        SoftmaxCrossEntropy weighted = Loss.WeightedSoftmaxCrossEntropy(Weights);

        Loss rebuilt = ComponentRegistry.Losses.Create("softmax_cross_entropy", weighted.GetConfig());

        rebuilt.Should().BeOfType<SoftmaxCrossEntropy>().Which.ClassWeights.Should().Equal(Weights);
        rebuilt.GetConfig().Should().Be(weighted.GetConfig());
        weighted.ToString().Should().Be("softmax_cross_entropy(class_weights=[0.5, 2, 1.5, 0.25])");
        Loss.SoftmaxCrossEntropy.GetConfig().Count.Should().Be(0, "files of unweighted networks stay as they were");
        Loss.SoftmaxCrossEntropy.ClassWeights.Should().BeNull();
        ComponentRegistry.Losses.Create("softmax_cross_entropy", new()).Should().BeSameAs(Loss.SoftmaxCrossEntropy);
    }

    [Fact]
    public void Huber_and_mean_absolute_error_are_registered_with_their_configurations()
    {
        Huber huber = Loss.Huber(0.75);

        huber.Delta.Should().Be(0.75);
        Loss.Huber().Delta.Should().Be(1.0);
        huber.ToString().Should().Be("huber(0.75)");
        ComponentRegistry.Losses.Create("huber", huber.GetConfig()).Should().BeOfType<Huber>().Which.Delta.Should().Be(0.75);
        ComponentRegistry.Losses.Create("mean_absolute_error", new()).Should().BeSameAs(Loss.MeanAbsoluteError);
        huber.IsClassification.Should().BeFalse();
        Loss.MeanAbsoluteError.OutputActivation.IsIdentity.Should().BeTrue();
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Huber_rejects_a_delta_that_is_not_positive_and_finite(double delta, string shown)
    {
        Action viaFactory = () => Loss.Huber(delta);
        Action viaConstructor = () => _ = new Huber(delta);

        viaFactory.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"delta must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("delta");
        viaConstructor.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("delta must be a positive finite number*");
    }

    [Fact]
    public void Class_weights_must_not_be_null()
    {
        Action act = () => Loss.WeightedSoftmaxCrossEntropy(null!);

        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("classWeights");
    }

    [Theory]
    [InlineData(new double[0], "*one weight per class, at least two, but got 0*")]
    [InlineData(new[] { 3.0 }, "*one weight per class, at least two, but got 1*")]
    [InlineData(new[] { 1.0, -0.5, 2.0 }, "*finite and non-negative, but the weight of class 1 is -0.5*")]
    [InlineData(new[] { 1.0, 2.0, double.NaN }, "*finite and non-negative, but the weight of class 2 is NaN*")]
    [InlineData(new[] { double.PositiveInfinity, 1.0 }, "*finite and non-negative, but the weight of class 0 is Infinity*")]
    [InlineData(new[] { 0.0, 0.0, 0.0 }, "*at least one positive weight, but all 3 are 0*")]
    public void Class_weights_are_checked_naming_what_was_expected_and_what_came_in(double[] weights, string message)
    {
        Action viaFactory = () => Loss.WeightedSoftmaxCrossEntropy(weights);
        Action viaConstructor = () => _ = new SoftmaxCrossEntropy(weights);

        viaFactory.Should().ThrowExactly<ArgumentException>().WithMessage(message).And.ParamName.Should().Be("classWeights");
        viaConstructor.Should().ThrowExactly<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void A_weight_count_other_than_the_network_s_output_count_is_refused_naming_both()
    {
        Loss loss = Loss.WeightedSoftmaxCrossEntropy([1.0, 2.0, 3.0]);

        Action built = () => Network.Sequential<double>(2).Dense(4).Build(loss, seed: 1);
        Action constructed = () => _ = new Network<float>([new Dense<float>(2, 2)], loss, seed: 1);

        built.Should().ThrowExactly<ArgumentException>().WithMessage("softmax_cross_entropy has 3 class weights, one per class, but the network has 4 outputs*");
        constructed.Should().ThrowExactly<ArgumentException>().WithMessage("*has 3 class weights*but the network has 2 outputs*");
        FluentActions.Invoking(() => Network.Sequential<double>(2).Dense(3).Build(loss, seed: 1)).Should().NotThrow();
    }

    [Fact]
    public void A_weighted_loss_used_on_its_own_refuses_outputs_with_another_class_count()
    {
        Loss loss = Loss.WeightedSoftmaxCrossEntropy([1.0, 2.0, 3.0]);
        var random = new Random(3);

        Action compute = () => loss.Compute(TestData.RandomMatrix(random, 2, 4), TestData.RandomOneHot(random, 2, 4));
        Action gradient = () => loss.Gradient(TestData.RandomMatrix(random, 2, 2), TestData.RandomOneHot(random, 2, 2));

        compute.Should().ThrowExactly<ArgumentException>().WithMessage("softmax_cross_entropy has 3 class weights, one per class, but the output has 4 columns*").And.ParamName.Should().Be("output");
        gradient.Should().ThrowExactly<ArgumentException>().WithMessage("*3 class weights*the output has 2 columns*");
    }

    [Fact]
    public void Training_with_class_weights_moves_the_boundary_toward_the_class_that_weighs_less()
    {
        // Two overlapping classes on a line; weighting class 1 ten times pulls more of the overlap into class 1.
        double[] xs = [.. Enumerable.Range(0, 40).Select(i => (i / 39.0 * 4) - 2)];
        int[] labels = [.. xs.Select((x, i) => x + (0.8 * Math.Sin(i * 1.7)) > 0 ? 1 : 0)];
        Matrix<double> inputs = Matrix<double>.Build.Dense(40, 1, (i, _) => xs[i]);
        int ClassOnes(Loss loss)
        {
            Network<double> network = Network.Sequential<double>(1).Dense(2).Build(loss, seed: 4);
            network.Fit(inputs, labels, new TrainingOptions { Epochs = 300, LearningRate = 0.5 });
            return network.PredictClasses(inputs).Count(c => c == 1);
        }

        ClassOnes(Loss.WeightedSoftmaxCrossEntropy([1.0, 10.0])).Should().BeGreaterThan(ClassOnes(Loss.SoftmaxCrossEntropy));
    }

    private static Matrix<double> TargetOf(string name) => PyTorchReference.Matrix(PyTorchReference.Losses[name]!["target"]!);

    private void MatchesPyTorch(string name, Loss loss, Matrix<double> y, double divisor)
    {
        System.Text.Json.Nodes.JsonNode record = PyTorchReference.Losses[name]!;
        Matrix<double> z = PyTorchReference.Matrix(record["output"]!);
        double expectedValue = record["value"]!.GetValue<double>() / divisor;
        Matrix<double> expectedGradient = PyTorchReference.Matrix(record["gradient"]!) / divisor;

        double value = loss.Compute(z, y);
        Matrix<double> gradient = loss.Gradient(z, y);

        double valueDifference = PyTorchReference.Difference(value, expectedValue);
        double gradientDifference = gradient.Enumerate().Zip(expectedGradient.Enumerate()).Max(p => PyTorchReference.Difference(p.First, p.Second));
        output.WriteLine($"{name}: difference from PyTorch, value {valueDifference:G3}, gradient {gradientDifference:G3}");
        valueDifference.Should().BeLessThanOrEqualTo(PyTorchBound);
        gradientDifference.Should().BeLessThanOrEqualTo(PyTorchBound);
    }

    private static (Loss Loss, Matrix<double> Output, Matrix<double> Target) Draw(string lossCase, Random random)
    {
        const int Samples = 5;
        Matrix<double> z = TestData.RandomMatrix(random, Samples, 4, limit: 3);
        return lossCase switch
        {
            "huber" => (Loss.Huber(), z, Apart(z, TestData.RandomMatrix(random, Samples, 4, limit: 2), 1.0)),
            "huber_delta_0.5" => (Loss.Huber(0.5), z, Apart(z, TestData.RandomMatrix(random, Samples, 4, limit: 2), 0.5)),
            "huber_delta_3" => (Loss.Huber(3), z, Apart(z, TestData.RandomMatrix(random, Samples, 4, limit: 4), 3)),
            "mean_absolute_error" => (Loss.MeanAbsoluteError, z, Apart(z, TestData.RandomMatrix(random, Samples, 4, limit: 2), 0)),
            "weighted_one_hot" => (Loss.WeightedSoftmaxCrossEntropy(Weights), z, TestData.RandomOneHot(random, Samples, 4)),
            "weighted_soft" => (Loss.WeightedSoftmaxCrossEntropy(Weights), z, Normalised(TestData.RandomMatrix(random, Samples, 4).PointwiseAbs())),
            "weighted_unnormalised" => (Loss.WeightedSoftmaxCrossEntropy(Weights), z, TestData.RandomMatrix(random, Samples, 4).PointwiseAbs() * 3),
            _ => throw new ArgumentOutOfRangeException(nameof(lossCase), lossCase, "unknown case"),
        };
    }

    /// <summary>Moves targets so no difference z − y lies within 1e-3 of ±<paramref name="kink"/>, where the loss's second (or, at 0 for the absolute error, first) derivative jumps.</summary>
    private static Matrix<double> Apart(Matrix<double> z, Matrix<double> y, double kink)
        => y.MapIndexed((i, j, value) => Math.Abs(Math.Abs(z[i, j] - value) - kink) < 1e-3 ? value + 0.01 : value);

    private static Matrix<double> Normalised(Matrix<double> m)
    {
        Vector<double> sums = m.RowSums();
        return m.MapIndexed((i, _, value) => value / sums[i]);
    }
}
