using NeuralNet.Evaluation;

namespace NeuralNet.Tests.Evaluation;

/// <summary>Confusion-matrix counts (row = true class, column = predicted) and the per-class scores derived from them.</summary>
public class ConfusionMatrixTests
{
    // Nine samples over three classes; precision and recall differ for every class, so a swap of the two shows.
    //   true:      0 0 0 1 1 2 2 2 2
    //   predicted: 0 0 1 1 1 2 2 0 0
    // Counts [true, predicted]:
    //        p0 p1 p2
    //   t0 [  2  1  0 ]   row sum 3
    //   t1 [  0  2  0 ]   row sum 2
    //   t2 [  2  0  2 ]   row sum 4
    //   column sums 4, 3, 2
    private static readonly int[] Expected = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 1, 2, 2, 0, 0];

    private static ConfusionMatrix Example() => new(Expected, Predicted, 3);

    [Fact]
    public void Counts_are_indexed_by_true_class_then_predicted_class()
    {
        var matrix = Example();

        int[,] counts = { { 2, 1, 0 }, { 0, 2, 0 }, { 2, 0, 2 } };
        for (int actual = 0; actual < 3; actual++)
        {
            for (int predicted = 0; predicted < 3; predicted++)
            {
                matrix[actual, predicted].Should().Be(counts[actual, predicted], $"[{actual}, {predicted}]");
            }
        }

        matrix.ClassCount.Should().Be(3);
        matrix.Total.Should().Be(9);
    }

    [Fact]
    public void A_single_mistake_lands_in_the_true_row_and_predicted_column()
    {
        var matrix = new ConfusionMatrix(expected: [0], predicted: [1], classCount: 2);

        matrix[0, 1].Should().Be(1);
        matrix[1, 0].Should().Be(0);
    }

    [Fact]
    public void Accuracy_is_the_diagonal_over_the_total_and_agrees_with_Metrics()
    {
        var matrix = Example();

        // Diagonal 2 + 2 + 2 = 6 of 9.
        matrix.Accuracy.Should().BeApproximately(6.0 / 9, 1e-12);
        matrix.Accuracy.Should().BeApproximately(Metrics.Accuracy(Expected, Predicted), 1e-12);
    }

    [Theory]
    [InlineData(0, 2.0 / 4)] // column 0: 2 correct of 4 predicted as 0
    [InlineData(1, 2.0 / 3)] // column 1: 2 of 3
    [InlineData(2, 2.0 / 2)] // column 2: 2 of 2
    public void Precision_is_the_correct_share_of_a_predicted_column(int classIndex, double precision)
    {
        Example().Precision(classIndex).Should().BeApproximately(precision, 1e-12);
    }

    [Theory]
    [InlineData(0, 2.0 / 3)] // row 0: 2 correct of 3 true 0s
    [InlineData(1, 2.0 / 2)] // row 1: 2 of 2
    [InlineData(2, 2.0 / 4)] // row 2: 2 of 4
    public void Recall_is_the_correct_share_of_a_true_row(int classIndex, double recall)
    {
        Example().Recall(classIndex).Should().BeApproximately(recall, 1e-12);
    }

    // F1 = 2PR/(P + R):
    //   class 0: 2·(1/2)·(2/3) / (1/2 + 2/3) = (2/3)/(7/6) = 4/7
    //   class 1: 2·(2/3)·1 / (2/3 + 1) = (4/3)/(5/3) = 4/5
    //   class 2: 2·1·(1/2) / (1 + 1/2) = 1/(3/2) = 2/3
    [Theory]
    [InlineData(0, 4.0 / 7)]
    [InlineData(1, 4.0 / 5)]
    [InlineData(2, 2.0 / 3)]
    public void F1_is_the_harmonic_mean_of_precision_and_recall(int classIndex, double f1)
    {
        Example().F1(classIndex).Should().BeApproximately(f1, 1e-12);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_not_NaN()
    {
        // Class 1 occurs twice but is never predicted: precision 0/0 → 0, recall 0/2 = 0, F1 0.
        var matrix = new ConfusionMatrix(expected: [0, 1, 1], predicted: [0, 0, 0], classCount: 2);

        matrix.Precision(1).Should().Be(0);
        matrix.Recall(1).Should().Be(0);
        matrix.F1(1).Should().Be(0);
        // Class 0: precision 1/3, recall 1/1.
        matrix.Precision(0).Should().BeApproximately(1.0 / 3, 1e-12);
        matrix.Recall(0).Should().Be(1);
    }

    [Fact]
    public void A_class_without_samples_has_recall_zero_not_NaN()
    {
        // Class 2 neither occurs nor is predicted.
        var matrix = new ConfusionMatrix(expected: [0, 1], predicted: [0, 1], classCount: 3);

        matrix.Recall(2).Should().Be(0);
        matrix.Precision(2).Should().Be(0);
        matrix.F1(2).Should().Be(0);
        matrix.F1(0).Should().Be(1);
    }

    [Fact]
    public void ToString_lays_out_true_classes_as_rows_and_predictions_as_columns()
    {
        string[][] lines = [.. Example().ToString()
            .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

        lines.Should().HaveCount(4);
        lines[0].Should().Equal("true\\pred", "0", "1", "2");
        lines[1].Should().Equal("0", "2", "1", "0");
        lines[2].Should().Equal("1", "0", "2", "0");
        lines[3].Should().Equal("2", "2", "0", "2");
    }

    [Fact]
    public void Lists_of_different_lengths_are_rejected()
    {
        Action act = () => _ = new ConfusionMatrix([0, 1, 1], [0, 1], 2);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("Expected as many predictions as answers, at least one, but got 2 predictions and 3 answers.*");
    }

    [Fact]
    public void Empty_lists_are_rejected()
    {
        Action act = () => _ = new ConfusionMatrix([], [], 2);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*at least one, but got 0 predictions and 0 answers.*");
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(0, 3)]
    [InlineData(-1, 0)]
    public void A_class_outside_the_range_is_rejected(int actual, int predicted)
    {
        Action act = () => _ = new ConfusionMatrix([0, actual], [1, predicted], 3);

        // The message names the list at fault (true classes or predictions), the index and the value.
        string culprit = actual is < 0 or > 2 ? $"true class at index 1 is {actual}" : $"prediction at index 1 is {predicted}";
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"Expected classes in [0, 2], but the {culprit}.*")
            .Which.ParamName.Should().Be(actual is < 0 or > 2 ? "expected" : "predicted");
    }

    [Fact]
    public void A_class_index_outside_the_range_is_rejected_by_every_per_class_query()
    {
        var matrix = new ConfusionMatrix([0, 1], [0, 1], 2);

        ((Action)(() => matrix.Precision(5))).Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*got 5*");
        ((Action)(() => matrix.Recall(-1))).Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*got -1*");
        ((Action)(() => matrix.F1(2))).Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*got 2*");
        ((Action)(() => _ = matrix[2, 0])).Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*got 2*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_class_count_that_is_not_positive_is_rejected(int classCount)
    {
        Action act = () => _ = new ConfusionMatrix([0], [0], classCount);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"classCount must be positive, but got {classCount}.*");
    }

    [Fact]
    public void A_class_count_whose_square_no_array_holds_is_refused_naming_the_sizes()
    {
        // 65,536² = 2^32 counts: refused before allocation, not left to the runtime's OutOfMemoryException.
        Action act = () => _ = new ConfusionMatrix([0], [0], 65_536);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("A confusion matrix of 65536 classes would be 65536×65536 = 4294967296 values, more than the 2147483591 a dense matrix holds.*")
            .Which.ParamName.Should().Be("classCount");
    }

    [Fact]
    public void Null_lists_are_rejected()
    {
        Action nullExpected = () => _ = new ConfusionMatrix(null!, [0], 2);
        Action nullPredicted = () => _ = new ConfusionMatrix([0], null!, 2);

        nullExpected.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("expected");
        nullPredicted.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("predicted");
    }
}
