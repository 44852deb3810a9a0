using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Data;

/// <summary>Splitting a dataset into training, validation and test sets in one call (SplitThreeWays).</summary>
public class DatasetThreeWaySplitTests
{
    /// <summary>A dataset whose only feature is the sample's own index, so every part shows which samples it holds.</summary>
    private static Dataset<double> Indexed(int[] labels) =>
        Dataset.ForClassification(Matrix<double>.Build.Dense(labels.Length, 1, (i, _) => i), labels, classNames: [.. Enumerable.Range(0, labels.Max() + 1).Select(c => $"c{c}")]);

    private static int[] Ids(Dataset<double> data) => [.. data.Features.Column(0).Enumerate().Select(v => (int)v)];

    [Fact]
    public void The_parts_are_disjoint_cover_every_sample_keep_file_order_and_names()
    {
        var data = Indexed(TestData.Interleaved(50, 3));

        (var train, var validation, var test) = data.SplitThreeWays(0.2, 0.1, seed: 5);

        int[][] parts = [Ids(train), Ids(validation), Ids(test)];
        parts.SelectMany(p => p).Order().Should().Equal(Enumerable.Range(0, 50));
        parts.Should().AllSatisfy(p => p.Should().BeInAscendingOrder());
        (validation.Count, test.Count, train.Count).Should().Be((10, 5, 35));
        test.ClassNames.Should().Equal("c0", "c1", "c2");
        test.Labels.Should().Equal(Ids(test).Select(i => i % 3));
    }

    [Fact]
    public void Stratified_each_class_keeps_its_share_in_every_part()
    {
        // 60 of class 0, 30 of class 1, 10 of class 2: 20 % validation, 10 % test per class.
        var data = Indexed(TestData.Grouped(60, 30, 10));

        (var train, var validation, var test) = data.SplitThreeWays(0.2, 0.1, seed: 11, stratify: true);

        int[] Counts(Dataset<double> part) => [.. Enumerable.Range(0, 3).Select(c => part.Labels!.Count(l => l == c))];
        Counts(validation).Should().Equal(12, 6, 2);
        Counts(test).Should().Equal(6, 3, 1);
        Counts(train).Should().Equal(42, 21, 7);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var data = Indexed(TestData.Interleaved(40, 2));

        var first = data.SplitThreeWays(0.25, 0.25, seed: 3, stratify: true);
        var again = data.SplitThreeWays(0.25, 0.25, seed: 3, stratify: true);
        var other = data.SplitThreeWays(0.25, 0.25, seed: 4, stratify: true);

        Ids(again.Test).Should().Equal(Ids(first.Test));
        Ids(again.Validation).Should().Equal(Ids(first.Validation));
        Ids(other.Test).Should().NotEqual(Ids(first.Test));
    }

    [Theory]
    [InlineData(0.0, 0.1, "validationFraction", "*validation fraction in (0, 1), but got 0*")]
    [InlineData(0.2, 1.0, "testFraction", "*test fraction in (0, 1), but got 1*")]
    [InlineData(double.NaN, 0.1, "validationFraction", "*but got NaN*")]
    [InlineData(0.6, 0.4, "testFraction", "*0.6 + 0.4 = 1*")]
    public void Fractions_out_of_range_are_refused_naming_their_values(double validation, double test, string parameter, string message)
    {
        var data = Indexed(TestData.Interleaved(20, 2));

        FluentActions.Invoking(() => data.SplitThreeWays(validation, test, seed: 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter).WithMessage(message);
    }

    [Fact]
    public void A_split_leaving_a_part_empty_is_refused_with_the_counts()
    {
        var data = Indexed([0, 1, 0]);

        FluentActions.Invoking(() => data.SplitThreeWays(0.1, 0.1, seed: 1))
            .Should().Throw<ArgumentException>().WithMessage("*3 samples*leaves 3 for training, 0 for validation and 0 for testing*");
    }

    [Fact]
    public void Stratifying_a_regression_dataset_is_refused()
    {
        var data = Dataset.ForRegression(Matrix<double>.Build.Dense(10, 1), Matrix<double>.Build.Dense(10, 1));

        FluentActions.Invoking(() => data.SplitThreeWays(0.2, 0.2, seed: 1, stratify: true))
            .Should().Throw<ArgumentException>().WithMessage("*needs class labels*");
    }
}
