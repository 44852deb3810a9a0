using System.Text;
using FluentAssertions.Execution;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// How many classes a CSV file may ask for. The rule (see <see cref="Csv"/>): the classes are the distinct labels
/// (integers are never taken as indices unless <see cref="CsvOptions.StrictClassIndices"/> asks, and then they must be
/// 0 to K − 1, at most 65535); the one-hot targets, data rows × classes, may hold at most 2 values per character of
/// the text plus 65,536, so that a short file cannot make the reader allocate far more than its own size; a class
/// column needs at least 2 classes. Breaking any of these is a <see cref="DataFormatException"/> naming the line and
/// the column.
/// </summary>
public class CsvClassCountTests
{
    private static readonly CsvOptions Strict = new() { StrictClassIndices = true };

    private static Dataset<double> Read(string text, CsvOptions? options = null) => Csv.Read<double>(new StringReader(text), options);

    private static long Bound(string text) => (16L * text.Length) + (256 * 1024);

    /// <summary>A header and <paramref name="count"/> rows, row i written by <paramref name="row"/>.</summary>
    private static string Rows(int count, Func<int, string> row, string header = "x,y")
    {
        var text = new StringBuilder(header).Append('\n');
        for (int i = 0; i < count; i++)
        {
            text.Append(row(i)).Append('\n');
        }

        return text.ToString();
    }

    // The issue-11 files: 65,536 and 32,768 rows with one label 65535 (it used to escape as an
    // ArgumentOutOfRangeException of the one-hot encoding); 200 rows, 1.6 KB of text, which used to allocate 100 MB of
    // targets. Labels are classes, not indices, so the file holds 2 classes and allocates in proportion to its text.
    [Theory]
    [InlineData(65_536)]
    [InlineData(32_768)]
    [InlineData(200)]
    public void A_large_integer_label_in_a_short_file_is_a_second_class_not_65536(int rows)
    {
        string text = Rows(rows, i => i == rows / 2 ? "1,65535" : "1,0");
        Dataset<double>? data = null;

        (long bytes, Exception? error) = Allocation.Measure(() => data = Read(text));

        using (new AssertionScope())
        {
            error.Should().BeNull();
            data!.ClassCount.Should().Be(2);
            data.ClassNames.Should().Equal("0", "65535");
            data.Labels![rows / 2].Should().Be(1);
            data.Labels.Count(l => l == 1).Should().Be(1);
            bytes.Should().BeLessThan(Bound(text));
        }
    }

    [Theory]
    [InlineData(65_536)]
    [InlineData(200)]
    public void Taken_as_an_index_a_large_label_is_refused_at_its_line_naming_the_empty_classes(int rows)
    {
        string text = Rows(rows, i => i == rows / 2 ? "1,65535" : $"1,{i % 2}");
        int line = 2 + (rows / 2);

        (long bytes, Exception? error) = Allocation.Measure(() => Read(text, Strict));

        using (new AssertionScope())
        {
            var format = error.Should().BeOfType<DataFormatException>().Which;
            format.Message.Should().Be($"Line {line}, column 2 ('y'): label 65535 makes the classes 0 to 65535, but 65533 of them have no row: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 and 65513 more. StrictClassIndices takes labels as class indices as they are; without it, labels are renumbered in increasing order and kept as class names.");
            format.Line.Should().Be(line);
            format.Column.Should().Be(2);
            bytes.Should().BeLessThan(Bound(text), "the classes are refused before any target is allocated");
        }
    }

    [Fact]
    public void Labels_one_to_three_are_renumbered_by_default_and_refused_as_indices_naming_class_0()
    {
        const string text = "x,y\n1,3\n2,1\n3,2\n4,1\n";

        var data = Read(text);
        Action strict = () => Read(text, Strict);

        data.Labels.Should().Equal(2, 0, 1, 0);
        data.ClassNames.Should().Equal("1", "2", "3");
        strict.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 2 ('y'): label 3 makes the classes 0 to 3, but 1 of them have no row: 0. StrictClassIndices*");
    }

    [Fact]
    public void Labels_zero_to_k_minus_one_are_their_own_classes_under_either_rule()
    {
        const string text = "x,y\n1,2\n2,0\n3,1\n4,2\n";

        var data = Read(text);
        var strict = Read(text, Strict);

        data.Labels.Should().Equal(2, 0, 1, 2);
        strict.Labels.Should().Equal(2, 0, 1, 2);
        data.ClassNames.Should().Equal("0", "1", "2");
        strict.ClassNames.Should().Equal("0", "1", "2");
    }

    [Fact]
    public void Nearly_every_row_naming_its_own_class_is_refused()
    {
        // 1,000 rows, 1,000 names: a million one-hot values from 7 KB of text.
        string text = Rows(1_000, i => $"1,n{i}");

        (long bytes, Exception? error) = Allocation.Measure(() => Read(text));

        using (new AssertionScope())
        {
            error.Should().BeOfType<DataFormatException>().Which.Message.Should()
                .Match($"Line 1001, column 2 ('y'): the column holds 1000 classes (the last new one on this line), so one-hot targets of 1000 rows × 1000 classes = 1000000 values, but a text of {text.Length} characters may ask for at most *; Dataset.ForClassification takes any class count that fits in memory.");
            bytes.Should().BeLessThan(Bound(text));
        }
    }

    [Fact]
    public void A_numeric_column_read_as_classes_is_refused_pointing_to_regression()
    {
        // A regression target left as a class column: nearly every value is a class of its own.
        string text = Rows(1_000, i => $"1,{i * 7}");

        (long bytes, Exception? error) = Allocation.Measure(() => Read(text));

        using (new AssertionScope())
        {
            error.Should().BeOfType<DataFormatException>().Which.Message.Should()
                .Match("Line 1001, column 2 ('y'): the column holds 1000 classes (the last new one on this line)*; for a numeric target set Classification = false.");
            bytes.Should().BeLessThan(Bound(text));
        }
    }

    [Theory]
    [InlineData("x,y\n1,a\n2,a\n", 2, "a")]
    [InlineData("x,y\n1, setosa \n\n2,\"setosa\"\n", 2, "setosa")]
    [InlineData("x,y\n1,7\n2,007\n", 2, "7")]
    public void A_class_column_with_a_single_class_is_a_format_error(string text, int line, string name)
    {
        Action act = () => Read(text);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line {line}, column 2 ('y'): expected at least 2 classes, but every row has the class '{name}'.*CsvOptions.Classes*").Which;
        error.Line.Should().Be(line);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void Digit_labels_of_any_length_are_ordered_by_value_not_as_text()
    {
        // As text, "10000000000" sorts between "1" and "2"; by value it is last. Leading zeros name the same value.
        var data = Read("x,y\n1,1\n2,10000000000\n3,2\n4,0002\n");

        data.ClassNames.Should().Equal("1", "2", "10000000000");
        data.Labels.Should().Equal(0, 2, 1, 1);
    }

    [Fact]
    public void Digit_labels_too_large_for_an_index_are_refused_as_indices()
    {
        Action act = () => Read("x,y\n1,1\n2,10000000000\n3,2\n3,0\n", Strict);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 3, column 2 ('y'): expected a class label in [0, 65535] (StrictClassIndices), but got 10000000000; for a numeric target set Classification = false.")
            .Which.Line.Should().Be(3);
    }

    [Fact]
    public void Ten_classes_in_short_rows_are_accepted()
    {
        // Rows of four characters: 2 values per character would allow 8 classes; the fixed 65,536 covers a small file.
        string small = Rows(10, i => $"{i},{i}");
        // Rows like "0.5,7": 10 classes need 5 characters a row, and 20,000 such rows are well within the rule.
        string large = Rows(20_000, i => $"0.5,{i % 10}");

        Read(small).ClassCount.Should().Be(10);
        Read(large).ClassCount.Should().Be(10);
        Read(large).Targets.RowSums().Enumerate().Should().OnlyContain(s => s == 1);
    }

    [Fact]
    public void The_rule_counts_every_character_so_padding_a_file_cannot_pass_classes_the_rows_cannot()
    {
        // 300 rows of 300 classes ask for 90,000 values: the 65,536 allowance and 2 per character need 12,232
        // characters; a file that long is accepted, a file one character shorter is not.
        string rows = Rows(300, i => $"{i},{i}", header: string.Empty)[1..];
        int padding = 12_232 - "x,y\n".Length - rows.Length - 1;
        string accepted = "x,y\n" + new string(' ', padding) + "\n" + rows;
        string refused = "x,y\n" + new string(' ', padding - 1) + "\n" + rows;
        accepted.Length.Should().Be(12_232);

        Read(accepted).ClassCount.Should().Be(300);
        ((Action)(() => Read(refused))).Should().ThrowExactly<DataFormatException>().WithMessage("*holds 300 classes*at most 89998*");
    }
}
