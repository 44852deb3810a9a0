using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>One-hot encoding of class labels and its inverse (arg-max per row).</summary>
public class OneHotTests
{
    [Fact]
    public void Encode_puts_a_single_one_in_each_label_column()
    {
        var encoded = OneHot.Encode<double>([2, 0, 1, 2], 3);

        encoded.Should().Be(Matrix<double>.Build.DenseOfRowArrays([0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]));
    }

    [Fact]
    public void Decode_inverts_Encode()
    {
        var random = new Random(5401);
        int[] labels = [.. Enumerable.Range(0, 200).Select(_ => random.Next(7))];

        OneHot.Decode(OneHot.Encode<float>(labels, 7)).Should().Equal(labels);
        OneHot.Decode(OneHot.Encode<double>(labels, 10)).Should().Equal(labels);
    }

    [Fact]
    public void Decode_picks_the_largest_value_and_the_first_of_equal_ones()
    {
        var scores = Matrix<double>.Build.DenseOfRowArrays(
            [0.1, 0.7, 0.2],
            [-3, -1, -2],
            [0.4, 0.1, 0.4],
            [5, 5, 5]);

        OneHot.Decode(scores).Should().Equal(1, 1, 0, 0);
    }

    [Theory]
    [InlineData(-1, "-1")]
    [InlineData(3, "3")]
    public void Encode_rejects_a_label_outside_the_class_range(int label, string shown)
    {
        Action act = () => OneHot.Encode<double>([0, label], 3);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"Expected labels in [0, 2], but the label at index 1 is {shown}.*")
            .And.ParamName.Should().Be("labels");
    }

    [Fact]
    public void Encode_rejects_no_labels()
    {
        Action act = () => OneHot.Encode<double>([], 3);

        act.Should().ThrowExactly<ArgumentException>().WithMessage("Expected at least one label, but got none.*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Encode_rejects_a_class_count_that_is_not_positive(int classCount)
    {
        Action act = () => OneHot.Encode<double>([0], classCount);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"classCount must be positive, but got {classCount}.*");
    }
}
