using System.Text;
using FluentAssertions.Execution;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// CSV text built to exhaust memory: one enormous line, many tiny rows. Reading allocates in proportion to the text
/// actually read, at most 16 bytes per character (plus a fixed 256 KiB) whatever its shape.
/// </summary>
/// <remarks>
/// 16 bytes per character is the densest text, values of one digit and a separator, read as doubles: each value is
/// stored once as it is read and once in the final matrix (2 × 8 bytes per 2 characters), and the line being read is
/// buffered as UTF-16 with room to grow (up to 8 bytes per character of the longest line). Reading used to cost 30 to
/// 100 times the text: a string per field, a list per line, an array per row.
/// </remarks>
public sealed class HostileCsvTests : IDisposable
{
    private const long Fixed = 256 * 1024;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.HostileCsv." + Guid.NewGuid().ToString("N"));

    public HostileCsvTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static long Bound(string text) => (16L * text.Length) + Fixed;

    private static string TinyRows(int count)
    {
        var text = new StringBuilder("x,y\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(i % 2 == 0 ? "0,1\n" : "1,0\n");
        }

        return text.ToString();
    }

    /// <summary><paramref name="count"/> values "0" separated by commas, on one line.</summary>
    private static string Line(int count)
    {
        var text = new StringBuilder((2 * count) + 1);
        for (int i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "0" : ",0");
        }

        return text.Append('\n').ToString();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void One_line_of_half_a_million_values_costs_a_small_multiple_of_its_length(bool header, bool classification)
    {
        string text = header ? Line(500_000) + Line(500_000) : Line(500_000);
        // One data row holds one class, which is not enough to make classes of: the classes are given.
        var options = new CsvOptions { HasHeader = header, Classification = classification, Classes = classification ? ["0", "1"] : null };

        (long bytes, Exception? error) = Allocation.Measure(() => Csv.Read<double>(new StringReader(text), options));

        using (new AssertionScope())
        {
            error.Should().BeNull();
            bytes.Should().BeLessThan(Bound(text), $"{text.Length} characters of text");
        }
    }

    [Fact]
    public void A_hundred_thousand_tiny_rows_cost_a_small_multiple_of_their_length()
    {
        string csv = TinyRows(100_000);

        (long bytes, Exception? error) = Allocation.Measure(() => Csv.Read<double>(new StringReader(csv)));

        using (new AssertionScope())
        {
            error.Should().BeNull();
            bytes.Should().BeLessThan(Bound(csv), $"{csv.Length} characters of text");
        }
    }

    [Fact]
    public void Loading_a_file_adds_only_the_file_reader_s_buffers()
    {
        string csv = TinyRows(100_000);
        string path = Path.Combine(_directory, "tiny-rows.csv");
        File.WriteAllText(path, csv);

        (long bytes, Exception? error) = Allocation.Measure(() => Csv.Load<double>(path));

        using (new AssertionScope())
        {
            error.Should().BeNull();
            bytes.Should().BeLessThan(Bound(csv), $"{new FileInfo(path).Length} bytes of file");
        }
    }

    [Fact]
    public void Large_texts_keep_every_value_in_its_place()
    {
        // 30,000 rows of 3 features cross many storage chunks and line-buffer refills; each value is unique.
        var random = new Random(7302);
        var text = new StringBuilder("a,b,c,label\n");
        var expected = new double[30_000, 3];
        int[] labels = new int[30_000];
        for (int i = 0; i < 30_000; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                expected[i, j] = (i * 3) + j + 0.5;
                text.Append(expected[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }

            labels[i] = random.Next(4);
            text.Append(labels[i]).Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        var data = Csv.Read<double>(new StringReader(text.ToString()));

        data.Features.Should().Be(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(expected));
        data.Labels.Should().Equal(labels);
        OneHot.Decode(data.Targets).Should().Equal(labels);
    }

    [Fact]
    public void A_long_header_without_data_fails_at_a_small_multiple_of_its_length()
    {
        string text = Line(500_000);

        (long bytes, Exception? error) = Allocation.Measure(() => Csv.Read<double>(new StringReader(text)));

        using (new AssertionScope())
        {
            error.Should().BeOfType<DataFormatException>().Which.Message.Should().StartWith("Expected at least one data row");
            bytes.Should().BeLessThan(Bound(text), $"{text.Length} characters of text");
        }
    }

    [Fact]
    public void A_huge_bad_cell_is_named_without_copying_it_into_the_message()
    {
        string cell = new('9', 1_000_000);

        Action act = () => Csv.Read<double>(new StringReader($"x,y\n1,0\n{cell}x,1\n"));

        string message = act.Should().ThrowExactly<DataFormatException>().Which.Message;
        message.Should().StartWith("Line 3, column 1 ('x'): expected a finite number, but got '999");
        message.Length.Should().BeLessThan(200, "a message names the cell, it does not copy a megabyte of it");
    }
}
