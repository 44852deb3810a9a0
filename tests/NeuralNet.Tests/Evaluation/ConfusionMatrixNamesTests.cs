using NeuralNet.Evaluation;

namespace NeuralNet.Tests.Evaluation;

/// <summary>A confusion matrix of named classes: the names head its rows and columns, and are checked like the classes.</summary>
public class ConfusionMatrixNamesTests
{
    [Fact]
    public void The_table_is_headed_by_the_class_names_with_columns_wide_enough_for_the_longest()
    {
        // True classes 0, 0, 1, 2 predicted 0, 1, 1, 2: counts [[1, 1, 0], [0, 1, 0], [0, 0, 1]].
        var matrix = new ConfusionMatrix([0, 0, 1, 2], [0, 1, 1, 2], ["cat", "hippopotamus", "dog"]);

        // The width is the longest name (12) + 1 = 13; the row labels get 4 more, as the numbered table's do.
        string expected = string.Join('\n',
            "        true\\pred          cat hippopotamus          dog",
            "              cat            1            1            0",
            "     hippopotamus            0            1            0",
            "              dog            0            0            1",
            string.Empty);

        matrix.ToString().ReplaceLineEndings("\n").Should().Be(expected);
        matrix.ClassNames.Should().Equal("cat", "hippopotamus", "dog");
        matrix.ClassCount.Should().Be(3);
    }

    [Fact]
    public void Without_names_the_table_is_numbered_as_before()
    {
        var matrix = new ConfusionMatrix([0, 1], [1, 1], 2);

        matrix.ClassNames.Should().BeNull();
        matrix.ToString().ReplaceLineEndings("\n").Should().Be("true\\pred    0    1\n        0    0    1\n        1    0    1\n");
    }

    [Fact]
    public void The_names_give_the_class_count_and_a_class_beyond_them_is_refused()
    {
        Action beyond = () => _ = new ConfusionMatrix([0, 2], [0, 0], ["a", "b"]);
        Action nullNames = () => _ = new ConfusionMatrix([0], [0], (IReadOnlyList<string>)null!);
        Action nullName = () => _ = new ConfusionMatrix([0], [0], ["a", null!]);

        beyond.Should().Throw<ArgumentException>().WithMessage("Expected classes in [0, 1], but the true class at index 1 is 2.*");
        nullNames.Should().Throw<ArgumentNullException>().And.ParamName.Should().Be("classNames");
        nullName.Should().Throw<ArgumentNullException>().WithMessage("*class 1's is null*");
    }
}
