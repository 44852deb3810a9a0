using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Building datasets from arrays and matrices, and taking them apart: subsets, shuffles, splits and batches.</summary>
public class DatasetTests
{
    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    /// <summary>
    /// A classification dataset whose first feature is the sample's own index, so every derived dataset
    /// shows which original samples it holds; the second feature is random noise.
    /// </summary>
    private static Dataset<double> Indexed(int[] labels, Random random) =>
        Dataset.ForClassification(
            Matrix<double>.Build.Dense(labels.Length, 2, (i, j) => j == 0 ? i : random.NextDouble()),
            labels);

    private static int[] Ids(Dataset<double> data) => [.. data.Features.Column(0).Enumerate().Select(v => (int)v)];

    [Fact]
    public void ForClassification_from_a_matrix_one_hot_encodes_the_labels_and_infers_the_class_count()
    {
        var features = Rows([1, 2], [3, 4], [5, 6], [7, 8]);

        var data = Dataset.ForClassification(features, [2, 0, 1, 2]);

        data.IsClassification.Should().BeTrue();
        data.Count.Should().Be(4);
        data.FeatureCount.Should().Be(2);
        data.ClassCount.Should().Be(3);
        data.Labels.Should().Equal(2, 0, 1, 2);
        data.Features.Should().Be(features);
        data.Targets.Should().Be(Rows([0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]));
        data.ClassNames.Should().BeNull();
    }

    [Fact]
    public void ForClassification_takes_an_explicit_class_count_and_class_names()
    {
        var data = Dataset.ForClassification(Rows([1], [2]), [1, 0], classCount: 4, classNames: ["a", "b", "c", "d"]);

        data.ClassCount.Should().Be(4);
        data.Targets.Should().Be(Rows([0, 1, 0, 0], [1, 0, 0, 0]));
        data.ClassNames.Should().Equal("a", "b", "c", "d");
    }

    [Fact]
    public void ForClassification_from_rows_equals_the_matrix_form()
    {
        double[][] rows = [[1, 2], [3, 4], [5, 6]];

        var fromRows = Dataset.ForClassification<double>(rows, [1, 1, 0]);

        fromRows.Features.Should().Be(Rows(rows));
        fromRows.Labels.Should().Equal(1, 1, 0);
        fromRows.Targets.Should().Be(Rows([0, 1], [0, 1], [1, 0]));
    }

    [Fact]
    public void A_dataset_keeps_its_own_copy_of_the_inputs()
    {
        var features = Rows([1, 2], [3, 4]);
        int[] labels = [0, 1];

        var data = Dataset.ForClassification(features, labels);
        features[0, 0] = 99;
        labels[0] = 1;

        data.Features[0, 0].Should().Be(1);
        data.Labels![0].Should().Be(0);
    }

    [Fact]
    public void ForRegression_keeps_features_and_targets_and_has_no_labels()
    {
        var data = Dataset.ForRegression<double>([[1, 2], [3, 4]], [[0.5, -1], [2, 3]]);

        data.IsClassification.Should().BeFalse();
        data.Labels.Should().BeNull();
        data.ClassCount.Should().Be(0);
        data.Features.Should().Be(Rows([1, 2], [3, 4]));
        data.Targets.Should().Be(Rows([0.5, -1], [2, 3]));
    }

    [Fact]
    public void Ragged_feature_rows_are_rejected()
    {
        Action act = () => Dataset.ForClassification<double>([[1, 2], [3, 4, 5]], [0, 1]);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("Expected every row of features to have 2 values, but row 1 has 3.*")
            .And.ParamName.Should().Be("features");
    }

    [Fact]
    public void Ragged_target_rows_are_rejected()
    {
        Action act = () => Dataset.ForRegression<double>([[1], [2]], [[1, 2], [3]]);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("Expected every row of targets to have 2 values, but row 1 has 1.*")
            .And.ParamName.Should().Be("targets");
    }

    [Fact]
    public void No_rows_are_rejected()
    {
        Action act = () => Dataset.ForRegression<double>([], [[1]]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("features must hold at least one sample*but got none*");
    }

    [Fact]
    public void A_label_count_different_from_the_sample_count_is_rejected()
    {
        Action act = () => Dataset.ForClassification(Rows([1], [2], [3]), [0, 1]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected one label per sample: 3 samples but 2 labels.*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_label_outside_the_class_range_is_rejected(int label)
    {
        Action act = () => Dataset.ForClassification(Rows([1], [2]), [0, label], classCount: 3);

        act.Should().ThrowExactly<ArgumentException>().WithMessage($"Expected labels in [0, 2], but the label at index 1 is {label}.*");
    }

    [Fact]
    public void Fewer_than_two_classes_are_rejected()
    {
        Action act = () => Dataset.ForClassification(Rows([1], [2]), [0, 0]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected at least 2 classes, but got 1.*");
    }

    [Fact]
    public void A_class_name_count_different_from_the_class_count_is_rejected()
    {
        Action act = () => Dataset.ForClassification(Rows([1], [2]), [0, 1], classNames: ["only"]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected 2 class names, but got 1.*");
    }

    [Fact]
    public void Non_finite_features_are_rejected_naming_the_cell()
    {
        Action act = () => Dataset.ForClassification(Rows([1, 2], [3, double.NaN]), [0, 1]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("features must be finite, but row 1, column 1 is NaN.*");
    }

    [Fact]
    public void Regression_targets_with_another_row_count_are_rejected()
    {
        Action act = () => Dataset.ForRegression(Rows([1], [2], [3]), Rows([1], [2]));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected one target per sample: 3 samples but 2 rows in targets.*");
    }

    [Fact]
    public void Subset_takes_the_samples_in_the_given_order_with_their_labels_and_targets()
    {
        var random = new Random(5201);
        var data = Indexed([0, 1, 2, 0, 1], random);

        var subset = data.Subset([4, 0, 4, 2]);

        Ids(subset).Should().Equal(4, 0, 4, 2);
        subset.Labels.Should().Equal(1, 0, 1, 2);
        subset.Targets.Should().Be(Rows([0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]));
        subset.Features[1, 1].Should().Be(data.Features[0, 1]);
        subset.ClassCount.Should().Be(3);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void Subset_rejects_an_index_out_of_range(int index)
    {
        var data = Indexed([0, 1, 0, 1, 0], new Random(5202));

        Action act = () => data.Subset([0, index]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage($"Expected indices in [0, 4], but got {index}.*");
    }

    [Fact]
    public void Subset_rejects_no_indices()
    {
        var data = Indexed([0, 1], new Random(5203));

        Action act = () => data.Subset([]);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected at least one index, but got none.*");
    }

    [Fact]
    public void Shuffle_is_a_permutation_that_moves_labels_with_their_samples()
    {
        var random = new Random(5204);
        int[] labels = [.. Enumerable.Range(0, 50).Select(_ => random.Next(3))];
        var data = Indexed(labels, random);

        var shuffled = data.Shuffle(seed: 7);

        int[] ids = Ids(shuffled);
        ids.Should().BeEquivalentTo(Enumerable.Range(0, 50));
        ids.Should().NotEqual(Enumerable.Range(0, 50));
        shuffled.Labels.Should().Equal(ids.Select(i => labels[i]));
        OneHot.Decode(shuffled.Targets).Should().Equal(shuffled.Labels);
    }

    [Fact]
    public void Shuffle_with_the_same_seed_gives_the_same_order_and_another_seed_another()
    {
        var data = Indexed([.. Enumerable.Range(0, 50).Select(i => i % 2)], new Random(5205));

        Ids(data.Shuffle(11)).Should().Equal(Ids(data.Shuffle(11)));
        Ids(data.Shuffle(11)).Should().NotEqual(Ids(data.Shuffle(12)));
    }

    [Theory]
    [InlineData(0.2, 20)]
    [InlineData(0.25, 25)]
    [InlineData(0.333, 33)]
    [InlineData(0.015, 2)]
    [InlineData(0.985, 99)]
    public void Split_gives_round_fraction_times_count_to_validation_and_the_rest_to_training(double fraction, int validation)
    {
        // Expected: round(100 · fraction) with halves away from zero (1.5 → 2, 98.5 → 99).
        var data = Indexed([.. Enumerable.Range(0, 100).Select(i => i % 3)], new Random(5206));

        (var train, var valid) = data.Split(fraction, seed: 3);

        valid.Count.Should().Be(validation);
        train.Count.Should().Be(100 - validation);
    }

    [Fact]
    public void Split_parts_are_disjoint_cover_every_sample_and_keep_file_order()
    {
        var data = Indexed([.. Enumerable.Range(0, 40).Select(i => i % 2)], new Random(5207));

        (var train, var valid) = data.Split(0.3, seed: 9);

        int[] trainIds = Ids(train);
        int[] validIds = Ids(valid);
        trainIds.Intersect(validIds).Should().BeEmpty();
        trainIds.Concat(validIds).Should().BeEquivalentTo(Enumerable.Range(0, 40));
        trainIds.Should().BeInAscendingOrder();
        validIds.Should().BeInAscendingOrder();
        // The labels follow their samples (label = id mod 2 here).
        train.Labels.Should().Equal(trainIds.Select(i => i % 2));
        valid.Labels.Should().Equal(validIds.Select(i => i % 2));
    }

    [Fact]
    public void Split_is_reproducible_from_its_seed()
    {
        var data = Indexed([.. Enumerable.Range(0, 40).Select(i => i % 2)], new Random(5208));

        Ids(data.Split(0.3, seed: 9).Validation).Should().Equal(Ids(data.Split(0.3, seed: 9).Validation));
        Ids(data.Split(0.3, seed: 9).Validation).Should().NotEqual(Ids(data.Split(0.3, seed: 10).Validation));
    }

    [Theory]
    [InlineData(0.25, 1)]
    [InlineData(0.2, 2)]
    [InlineData(0.5, 3)]
    [InlineData(0.1, 4)]
    public void A_stratified_split_keeps_each_class_share_within_one_sample_in_both_parts(double fraction, int seed)
    {
        // Unbalanced classes of odd sizes, in a random order.
        var random = new Random(5209 + seed);
        int[] sizes = [53, 31, 17, 9];
        int[] labels = [.. sizes.SelectMany((n, c) => Enumerable.Repeat(c, n)).OrderBy(_ => random.Next())];
        var data = Indexed(labels, random);

        (var train, var valid) = data.Split(fraction, seed, stratify: true);

        for (int c = 0; c < sizes.Length; c++)
        {
            ((double)valid.Labels!.Count(l => l == c)).Should().BeApproximately(sizes[c] * fraction, 1);
            ((double)train.Labels!.Count(l => l == c)).Should().BeApproximately(sizes[c] * (1 - fraction), 1);
        }

        Ids(train).Concat(Ids(valid)).Should().BeEquivalentTo(Enumerable.Range(0, labels.Length));
    }

    [Fact]
    public void A_regression_dataset_splits_without_stratification()
    {
        var features = Matrix<double>.Build.Dense(10, 1, (i, _) => i);
        var targets = Matrix<double>.Build.Dense(10, 1, (i, _) => i * 0.5);
        var data = Dataset.ForRegression(features, targets);

        (var train, var valid) = data.Split(0.3, seed: 4);

        valid.Count.Should().Be(3);
        train.Count.Should().Be(7);
        train.IsClassification.Should().BeFalse();
        // Each target still belongs to its sample (target = id / 2).
        for (int i = 0; i < valid.Count; i++)
        {
            valid.Targets[i, 0].Should().Be(valid.Features[i, 0] * 0.5);
        }
    }

    [Fact]
    public void A_stratified_split_of_a_regression_dataset_is_rejected()
    {
        var data = Dataset.ForRegression(Rows([1], [2], [3]), Rows([1], [2], [3]));

        Action act = () => data.Split(0.3, seed: 1, stratify: true);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Stratified splitting needs class labels*regression*")
            .And.ParamName.Should().Be("stratify");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-0.2, "-0.2")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void Split_rejects_a_fraction_outside_zero_to_one(double fraction, string shown)
    {
        var data = Indexed([0, 1, 0, 1], new Random(5210));

        Action act = () => data.Split(fraction, seed: 1);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"Expected a validation fraction in (0, 1), but got {shown}.*")
            .And.ParamName.Should().Be("validationFraction");
    }

    [Theory]
    [InlineData(0.1, 3, 0)]
    [InlineData(0.9, 0, 3)]
    public void Split_rejects_a_fraction_that_leaves_a_part_empty(double fraction, int train, int validation)
    {
        // round(3 · 0.1) = 0 and round(3 · 0.9) = 3.
        var data = Indexed([0, 1, 0], new Random(5211));

        Action act = () => data.Split(fraction, seed: 1);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"Splitting 3 samples with validation fraction {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} leaves {train} for training and {validation} for validation; both need at least one.*");
    }

    [Theory]
    [InlineData(10, 4, new[] { 4, 4, 2 })]
    [InlineData(8, 4, new[] { 4, 4 })]
    [InlineData(3, 5, new[] { 3 })]
    [InlineData(3, 1, new[] { 1, 1, 1 })]
    public void Batches_cover_every_sample_in_order_with_a_last_partial_batch(int count, int size, int[] sizes)
    {
        var data = Indexed([.. Enumerable.Range(0, count).Select(i => i % 2)], new Random(5212));

        var batches = data.Batches(size).ToList();

        batches.Select(b => b.Inputs.RowCount).Should().Equal(sizes);
        batches.Should().OnlyContain(b => b.Targets.RowCount == b.Inputs.RowCount && b.Targets.ColumnCount == 2);
        batches.SelectMany(b => b.Inputs.Column(0).Enumerate()).Should().Equal(Enumerable.Range(0, count).Select(i => (double)i));
        batches.SelectMany(b => OneHot.Decode(b.Targets)).Should().Equal(data.Labels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Batches_rejects_a_size_that_is_not_positive(int size)
    {
        var data = Indexed([0, 1], new Random(5213));

        Action act = () => data.Batches(size);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"batchSize must be positive, but got {size}.*");
    }

    [Fact]
    public void WithFeatures_rejects_another_row_count()
    {
        var data = Indexed([0, 1, 0], new Random(5214));

        Action act = () => data.WithFeatures(Rows([1], [2]));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected 3 rows of features, but got 2.*");
    }
}
