using System.Text;
using FluentAssertions.Execution;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// How many classes a CSV file may ask for. The rule (see <see cref="Csv"/>): the one-hot targets, data rows × classes,
/// may hold at most 2 values per character of the text plus 65,536, so that a short file cannot make the reader
/// allocate far more than its own size; integer labels above 65,535 are refused outright; a class column needs at
/// least 2 classes. Breaking any of these is a <see cref="DataFormatException"/> naming the line and the column.
/// </summary>
public class CsvClassCountTests
{
    private static Dataset<double> Read(string text) => Csv.Read<double>(new StringReader(text));

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

    // The files: 65,536 and 32,768 rows with one label 65535 (used to escape as an ArgumentOutOfRangeException
    // of the one-hot encoding); 200 rows, 1.6 KB of text, which used to allocate 100 MB of targets.
    [Theory]
    [InlineData(65_536)]
    [InlineData(32_768)]
    [InlineData(200)]
    public void A_large_integer_label_in_a_short_file_is_refused_at_its_line(int rows)
    {
        string text = Rows(rows, i => i == rows / 2 ? "1,65535" : "1,0");
        int line = 2 + (rows / 2);

        Action act = () => Read(text);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line {line}, column 2 ('y'): label 65535 asks for 65536 classes, so one-hot targets of {rows} rows × 65536 classes = {rows * 65536L} values, but a text of {text.Length} characters may ask for at most {(2L * text.Length) + 65536} (2 per character, plus 65536)*Classification = false*").Which;
        error.Line.Should().Be(line);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void A_short_file_asking_for_many_classes_allocates_a_small_multiple_of_its_size()
    {
        // 8 KB of text, 256 rows of 6 features, one label 65535: 128 MiB of double targets. (Rows of "1,0" would
        // fit 2,000 in 8 KB, for 1 GiB of targets; the longer rows keep the test light even where no rule applies.)
        string text = Rows(256, i => i == 255 ? "0.25,0.5,0.75,1.0,1.25,1.5,65535" : "0.25,0.5,0.75,1.0,1.25,1.5,0", "a,b,c,d,e,f,y");
        text.Length.Should().BeInRange(7_000, 8_192);

        (long bytes, Exception? error) = Allocation.Measure(() => Read(text));

        using (new AssertionScope())
        {
            error.Should().BeOfType<DataFormatException>();
            bytes.Should().BeLessThan((16L * text.Length) + (256 * 1024), "an 8 KB file may not cost more than a small multiple of its size");
        }
    }

    [Fact]
    public void Nearly_every_row_naming_its_own_class_is_refused_like_a_large_label()
    {
        // 1,000 rows, 1,000 names: a million one-hot values from 7 KB of text.
        string text = Rows(1_000, i => $"1,n{i}");

        (long bytes, Exception? error) = Allocation.Measure(() => Read(text));

        using (new AssertionScope())
        {
            error.Should().BeOfType<DataFormatException>().Which.Message.Should()
                .Match($"Line 1001, column 2 ('y'): the column names 1000 classes (the last new one on this line), so one-hot targets of 1000 rows × 1000 classes = 1000000 values, but a text of {text.Length} characters may ask for at most *");
            bytes.Should().BeLessThan((16L * text.Length) + (256 * 1024));
        }
    }

    [Theory]
    [InlineData("x,y\n1,a\n2,a\n", 2, "a")]
    [InlineData("x,y\n1, setosa \n\n2,\"setosa\"\n", 2, "setosa")]
    public void A_class_column_with_a_single_name_is_a_format_error(string text, int line, string name)
    {
        Action act = () => Read(text);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line {line}, column 2 ('y'): expected at least 2 classes, but every row has the class '{name}'.*").Which;
        error.Line.Should().Be(line);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void Digit_labels_too_large_for_an_int_are_refused_instead_of_becoming_names()
    {
        // They used to turn the whole column into names, numbered by sort order: "10000000000" sorted between 1 and 2.
        Action act = () => Read("x,y\n1,1\n2,10000000000\n3,2\n");

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 3, column 2: expected a class label in [0, 65535], but got 10000000000; for a numeric target set Classification = false.")
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
    public void The_rule_counts_every_character_so_padding_a_file_cannot_pass_a_label_the_rows_cannot()
    {
        // A label 65535 in 3 rows asks for 196,608 values: the 65,536 allowance and 2 per character need 65,536
        // characters; a file that long is accepted, a file one character shorter is not.
        string rows = "1,0\n2,65535\n3,1\n";
        // A line of spaces is blank, skipped, but counted.
        int padding = 65536 - "x,y\n".Length - rows.Length - 1;
        string accepted = "x,y\n" + new string(' ', padding) + "\n" + rows;
        string refused = "x,y\n" + new string(' ', padding - 1) + "\n" + rows;
        accepted.Length.Should().Be(65536);

        Read(accepted).ClassCount.Should().Be(65536);
        ((Action)(() => Read(refused))).Should().ThrowExactly<DataFormatException>().WithMessage("*label 65535 asks for 65536 classes*");
    }
}
