using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Text that used to load as something else: characters after a closing quote glued onto the field (<c>"1"2</c> read
/// as 12), quotes in the middle of unquoted fields kept as text, and control characters (NUL, escape, form feed...)
/// passed through or silently dropped by the number parser (<c>1\0</c> read as 1). Each now throws
/// <see cref="DataFormatException"/> naming the line and the field.
/// </summary>
public class CsvMalformedTextTests
{
    private static Dataset<double> Read(string text, CsvOptions? options = null) =>
        Csv.Read<double>(new StringReader(text), options);

    private static void ShouldFailAt(string text, int line, int column, string message, CsvOptions? options = null)
    {
        Action act = () => Read(text, options);

        var error = act.Should().ThrowExactly<DataFormatException>().WithMessage($"Line {line}, column {column}: {message}").Which;
        error.Line.Should().Be(line);
        error.Column.Should().Be(column);
    }

    [Theory]
    [InlineData("x,y\n\"1\"2,0\n3,1\n", 2, 1, '2')]
    [InlineData("x,y\n1,0\n3,\"a\"b\n", 3, 2, 'b')]
    [InlineData("x,y\n\"1\"\"\"x,0\n", 2, 1, 'x')]
    [InlineData("\"x\"y,z\n1,0\n", 1, 1, 'y')]
    [InlineData("x,y\n\"1\" 2,0\n", 2, 1, '2')]
    public void Text_after_a_closing_quote_is_rejected(string text, int line, int column, char found) =>
        ShouldFailAt(text, line, column, $"expected the separator or the end of the line after the closing quote, but got '{found}'.");

    [Theory]
    [InlineData("x,y\n1\"2,0\n", 2, 1)]
    [InlineData("x,y\n1,ab\"c\n", 2, 2)]
    [InlineData("x,y\n1,abc\"\n", 2, 2)]
    [InlineData("x,y\n1,2 \"3\"4\n", 2, 2)]
    public void A_quote_inside_an_unquoted_field_is_rejected(string text, int line, int column) =>
        ShouldFailAt(text, line, column, "a quote inside an unquoted field; enclose the whole field in quotes and double the quotes inside it.");

    // NUL, start of heading, bell, backspace, vertical tab, form feed, escape, unit separator, delete, and two C1 controls.
    [Theory]
    [InlineData('\0')]
    [InlineData('\u0001')]
    [InlineData('\a')]
    [InlineData('\b')]
    [InlineData('\v')]
    [InlineData('\f')]
    [InlineData('\u001B')]
    [InlineData('\u001F')]
    [InlineData('\u007F')]
    [InlineData('\u0085')]
    [InlineData('\u009B')]
    public void A_control_character_is_rejected_wherever_it_stands(char control)
    {
        string hex = ((int)control).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        string message = $"expected text, but got the control character U+{hex}.";

        // After a number (which the parser used to ignore), before one, inside quotes, in a class name, in the header,
        // and alone on a line that would otherwise count as blank.
        ShouldFailAt($"x,y\n1{control},0\n", 2, 1, message);
        ShouldFailAt($"x,y\n{control}1,0\n", 2, 1, message);
        ShouldFailAt($"x,y\n1,\"a{control}b\"\n", 2, 2, message);
        ShouldFailAt($"x,y\n1,cat{control}\n2,dog\n", 2, 2, message);
        ShouldFailAt($"x,y{control}\n1,0\n", 1, 2, message);
        ShouldFailAt($"x,y\n1,0\n{control}\n2,1\n", 3, 1, message);
    }

    [Fact]
    public void A_control_character_as_a_regression_target_is_rejected_too() =>
        ShouldFailAt("x,y\n1,2.5\0\n", 2, 2, "expected text, but got the control character U+0000.", new CsvOptions { Classification = false });

    [Fact]
    public void Tabs_stay_whitespace_and_a_control_character_chosen_as_separator_separates()
    {
        var tabbed = Read("x,y\n\t1.5\t,\t0\n2,1\t\n");
        var unitSeparated = Read("x\u001Fy\n1.5\u001F0\n2\u001F1\n", new CsvOptions { Separator = '\u001F' });
        var tabSeparated = Read("x\ty\n1.5\t0\n2\t1\n", new CsvOptions { Separator = '\t' });

        var expected = Matrix<double>.Build.DenseOfRowArrays([1.5], [2]);
        tabbed.Features.Should().Be(expected);
        unitSeparated.Features.Should().Be(expected);
        tabSeparated.Features.Should().Be(expected);
        tabbed.Labels.Should().Equal(0, 1);
    }

    [Fact]
    public void A_quote_chosen_as_separator_separates_and_turns_quoting_off()
    {
        var data = Read("x\"y\n1.5\"0\n2\"1\n", new CsvOptions { Separator = '"' });

        data.Features.Should().Be(Matrix<double>.Build.DenseOfRowArrays([1.5], [2]));
        data.Labels.Should().Equal(0, 1);
    }

    [Fact]
    public void Whitespace_around_a_quoted_field_is_allowed_and_dropped_like_around_any_field()
    {
        // Spaces after the separator are common in hand-written files; the quotes still delimit the field.
        var data = Read("x, label\n \"1.5\" , \"cat, black\"  \n2,  dog\n");

        data.Features.Should().Be(Matrix<double>.Build.DenseOfRowArrays([1.5], [2]));
        data.ClassNames.Should().Equal("cat, black", "dog");
    }

    [Fact]
    public void Quoted_fields_keep_doubled_quotes_separators_and_inner_spaces()
    {
        var data = Read("x,label\n1,\"  say \"\"hi\"\", then go  \"\n2,\"\"\"\"\n");

        // Quoted content is trimmed like any field: the spaces inside the quotes at either end go, the inner ones stay.
        data.ClassNames.Should().Equal("\"", "say \"hi\", then go");
        data.Labels.Should().Equal(1, 0);
    }
}
