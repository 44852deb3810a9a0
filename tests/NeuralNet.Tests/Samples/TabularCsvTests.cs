using System.Globalization;
using Microsoft.VisualBasic.FileIO;
using NeuralNet.Evaluation;
using NeuralNet.Tests.TestSupport;
using TabularCsv;

namespace NeuralNet.Tests.Samples;

/// <summary>
/// samples/TabularCsv: its training program is the README's block, what it prints is the README's report, and the saved
/// model and the ONNX file served by ONNX Runtime name the same class for raw rows of the file (the real Palmer penguins
/// raw table).
/// </summary>
public sealed class TabularCsvTests : IDisposable
{
    private const string Section = "## From a CSV file to a served model";

    private readonly string _directory = Directory.CreateTempSubdirectory("tabular-").FullName;

    private const string Adelie = "Adelie Penguin (Pygoscelis adeliae)";
    private const string Chinstrap = "Chinstrap penguin (Pygoscelis antarctica)";
    private const string Gentoo = "Gentoo penguin (Pygoscelis papua)";

    // Columns of penguins_raw.csv (0-based): the species, then the four measurements the sample reads.
    private const int Species = 2;
    private const int SampleNumber = 1;
    private const int FirstMeasurement = 9;

    private static string Csv => Path.Combine(Repository.Root(), "samples", "TabularCsv", "data", "penguins_raw.csv");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Training_prints_the_report_the_readme_shows_and_classifies_the_test_set_well()
    {
        ClassificationReport report = Train.Run(Csv, Path.Combine(_directory, "penguins.nnet"));

        string[] readme = ReadmeSection();
        int start = Array.FindIndex(readme, l => l.TrimStart().StartsWith("precision", StringComparison.Ordinal));
        start.Should().BePositive("the README shows the report");
        int end = Array.FindIndex(readme, start, l => l.TrimStart().StartsWith("weighted avg", StringComparison.Ordinal));
        end.Should().BeGreaterThan(start, "the report ends with its weighted average");
        string.Join('\n', readme[start..(end + 1)]).Should().Be(report.ToString().TrimEnd('\n'));

        report.Classes.Select(c => c.Name).Should().Equal(Adelie, Chinstrap, Gentoo);
        report.Accuracy.Should().BeGreaterThan(0.9);
        File.Exists(Path.Combine(_directory, "penguins.onnx")).Should().BeTrue();
    }

    [Fact]
    public void The_saved_model_and_onnx_runtime_name_the_same_class_for_raw_rows()
    {
        string model = Path.Combine(_directory, "penguins.nnet");
        Train.Run(Csv, model);

        // Every row with its four measurements, as the file writes them (two birds were not measured).
        string[][] rows = [.. Rows().Where(c => c[FirstMeasurement..(FirstMeasurement + 4)].All(m => m.Length > 0))];
        rows.Should().HaveCount(342);
        int right = 0;
        foreach (string[] cells in rows)
        {
            (string neuralNet, string onnxRuntime) = Serve.Predict(model, Path.ChangeExtension(model, ".onnx"), Measurements(cells));

            onnxRuntime.Should().Be(neuralNet, $"both are given the raw row {string.Join(',', cells)}");
            right += neuralNet == cells[Species] ? 1 : 0;
        }

        right.Should().BeGreaterThan(rows.Length * 9 / 10, "the names are the file's species, not class numbers");

        // The README's example is Chinstrap sample 26 (a bird of the test part), as the file writes it.
        string[] example = Rows().Single(c => c[Species] == Chinstrap && c[SampleNumber] == "26");
        Measurements(example).Should().Equal(52f, 19f, 197f, 4150f);
        Serve.Predict(model, Path.ChangeExtension(model, ".onnx"), Measurements(example))
            .Should().Be((Chinstrap, Chinstrap), "the README shows this answer");
    }

    [Fact]
    public void The_readme_block_is_the_training_program_verbatim()
    {
        string[] source = File.ReadAllText(Path.Combine(Repository.Root(), "samples", "TabularCsv", "Train.cs")).ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(source, l => l.Trim() == "// README: tabular") + 1;
        int end = Array.FindIndex(source, start, l => l.Trim() == "// README: end");
        start.Should().BePositive();
        int indent = source[start].Length - source[start].TrimStart().Length;
        string block = string.Join("\n", source[start..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        string.Join('\n', ReadmeSection()).Should().Contain("```csharp\n" + block + "\n```");
    }

    /// <summary>The file's data rows, split by a CSV parser independent of the library's (quoted fields hold commas).</summary>
    private static List<string[]> Rows()
    {
        using var parser = new TextFieldParser(Csv) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        parser.ReadFields().Should().HaveCount(17, "the header names 17 columns");
        var rows = new List<string[]>();
        while (parser.ReadFields() is { } fields)
        {
            fields.Should().HaveCount(17);
            rows.Add(fields);
        }

        return rows;
    }

    private static float[] Measurements(string[] cells) =>
        [.. cells[FirstMeasurement..(FirstMeasurement + 4)].Select(c => float.Parse(c, CultureInfo.InvariantCulture))];

    private static string[] ReadmeSection()
    {
        string[] lines = Repository.Readme().Split('\n');
        int start = Array.IndexOf(lines, Section);
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[start..end];
    }
}
