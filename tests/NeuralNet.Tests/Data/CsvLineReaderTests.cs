using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The CSV reader's own line splitting must end lines exactly where <see cref="TextReader.ReadLine"/> does ("\n",
/// "\r", "\r\n"), whatever the line lengths and wherever the reader's chunks happen to cut the text.
/// </summary>
public class CsvLineReaderTests
{
    private static List<string> ReadLines(TextReader reader, out long characters)
    {
        var lines = new CsvLineReader(reader);
        var result = new List<string>();
        while (lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            result.Add(line.ToString());
            lines.LineNumber.Should().Be(result.Count);
        }

        characters = lines.Characters;
        return result;
    }

    private static List<string> ReferenceLines(string text)
    {
        var reader = new StringReader(text);
        var result = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            result.Add(line);
        }

        return result;
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("a\r\nb\rc\n\nd")]
    [InlineData("\r\r\n\n\r")]
    [InlineData("a\r")]
    [InlineData("\n")]
    public void Lines_end_where_ReadLine_ends_them(string text)
    {
        ReadLines(new StringReader(text), out long characters).Should().Equal(ReferenceLines(text));
        characters.Should().Be(text.Length);
    }

    [Fact]
    public void Random_texts_read_in_random_chunks_split_like_ReadLine()
    {
        var random = new Random(7301);
        char[] alphabet = ['a', 'b', ',', '"', ' ', '\r', '\n'];
        for (int trial = 0; trial < 300; trial++)
        {
            // Lines up to three times the reader's initial 4,096-character buffer, so that it grows and moves.
            var text = new StringBuilder();
            int length = random.Next(0, trial % 10 == 0 ? 15_000 : 300);
            for (int i = 0; i < length; i++)
            {
                text.Append(random.Next(20) == 0 ? alphabet[random.Next(alphabet.Length)] : alphabet[random.Next(5)]);
            }

            string s = text.ToString();
            ReadLines(new ChunkedReader(s, random), out long characters).Should().Equal(ReferenceLines(s), $"trial {trial}");
            characters.Should().Be(s.Length);
        }
    }

    /// <summary>A reader that hands out the text a few characters at a time, cutting it anywhere (a "\r\n" included).</summary>
    private sealed class ChunkedReader(string text, Random random) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            int length = Math.Min(Math.Min(count, random.Next(1, 9)), text.Length - _position);
            text.CopyTo(_position, buffer, index, length);
            _position += length;
            return length;
        }
    }
}
