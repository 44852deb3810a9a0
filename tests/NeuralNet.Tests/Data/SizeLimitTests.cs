using System.Collections;
using FluentAssertions.Execution;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Sizes that no dense matrix can hold are refused with <see cref="ArgumentOutOfRangeException"/> naming them, before
/// anything is allocated: products of sizes are taken in 64 bits, where a 32-bit product would wrap to a short buffer
/// or a negative count. None of these tests allocates more than a few megabytes, before or after the check exists.
/// </summary>
public class SizeLimitTests
{
    [Theory]
    [InlineData(65_536, 65_536)]
    [InlineData(32_768, 65_536)]
    public void OneHot_Encode_refuses_a_matrix_larger_than_an_array_naming_labels_and_classes(int labels, int classes)
    {
        Action act = () => OneHot.Encode<double>(new int[labels], classes);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"The one-hot encoding of {labels} labels in {classes} classes would be {labels}×{classes} = {(long)labels * classes} values, more than the {Array.MaxLength} a dense matrix holds.*")
            .Which.ParamName.Should().Be("classCount");
    }

    [Fact]
    public void OneHot_Encode_sets_the_right_cell_when_label_times_count_passes_the_int_range()
    {
        // 3 × 40,000 classes is 120,000 values, a small matrix; label 39,999 of 3 labels sits at column-major index
        // 39,999 × 3 + 2, far inside int. The test guards the index arithmetic of the largest allowed labels.
        var encoded = OneHot.Encode<float>([0, 1, 39_999], 40_000);

        encoded[2, 39_999].Should().Be(1f);
        encoded.RowSums().Enumerate().Should().Equal(1f, 1f, 1f);
    }

    [Fact]
    public void ForClassification_infers_a_class_count_past_int_MaxValue_without_wrapping()
    {
        // The largest label + 1 used to be taken in int: int.MaxValue + 1 wrapped to a negative class count.
        Action act = () => Dataset.ForClassification<double>([[1.0], [2.0]], [0, int.MaxValue]);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("*2 labels*2147483648 classes*2×2147483648 = 4294967296 values*")
            .Which.ParamName.Should().Be("labels");
    }

    [Fact]
    public void ForClassification_refuses_an_explicit_class_count_too_large_for_the_targets_naming_it()
    {
        var features = Matrix<double>.Build.Dense(40_000, 1);

        Action act = () => Dataset.ForClassification(features, new int[40_000], classCount: 65_536);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("*40000 labels in 65536 classes*40000×65536 = 2621440000 values*")
            .Which.ParamName.Should().Be("classCount");
    }

    [Fact]
    public void Rows_repeating_one_large_array_are_refused_before_the_matrix_is_built()
    {
        // 4,096 references to one array of 2^20 values: 32 KB of list, but a 2^32-value matrix, whose 32-bit size wraps to 0.
        double[] row = new double[1 << 20];
        double[][] rows = [.. Enumerable.Repeat(row, 1 << 12)];

        Action classification = () => Dataset.ForClassification<double>(rows, new int[1 << 12]);
        Action regression = () => Dataset.ForRegression<double>(rows, rows);

        classification.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("*features would be 4096×1048576 = 4294967296 values*").Which.ParamName.Should().Be("features");
        regression.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("*features would be 4096×1048576 = 4294967296 values*").Which.ParamName.Should().Be("features");
    }

    [Fact]
    public void Subset_refuses_targets_too_large_before_allocating_the_features()
    {
        // One sample, one feature, 300 classes. 8 million picks of it need 8e6 × 300 = 2.4e9 target values (too many
        // for one array), but only 64 MB of features: those must not be allocated before the targets are refused.
        var data = Dataset.ForClassification<double>([[1.0]], [0], classCount: 300);
        var indices = new SameIndex(8_000_000);

        (long bytes, Exception? error) = Allocation.Measure(() => data.Subset(indices));

        using (new AssertionScope())
        {
            bytes.Should().BeLessThan(1L << 20, "nothing may be allocated for a subset that is refused");
            error.Should().BeOfType<ArgumentOutOfRangeException>()
                .Which.Message.Should().Match("*subset of 8000000 samples*8000000×300 = 2400000000*");
            (error as ArgumentOutOfRangeException)?.ParamName.Should().Be("indices");
        }
    }

    [Fact]
    public void Subset_still_takes_many_repeats_of_a_sample()
    {
        var data = Dataset.ForClassification<double>([[1.0], [2.0]], [0, 1]);

        var subset = data.Subset(new SameIndex(1000));

        subset.Count.Should().Be(1000);
        subset.Labels.Should().OnlyContain(l => l == 0);
        subset.Features.Column(0).Enumerate().Should().OnlyContain(v => v == 1.0);
    }

    /// <summary>A list of <paramref name="count"/> zeros that takes no memory.</summary>
    private sealed class SameIndex(int count) : IReadOnlyList<int>
    {
        public int Count => count;

        public int this[int index] => 0;

        public IEnumerator<int> GetEnumerator() => Enumerable.Repeat(0, count).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
