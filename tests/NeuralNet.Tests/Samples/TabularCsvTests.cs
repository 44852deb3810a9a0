using System.Globalization;
using NeuralNet.Evaluation;
using NeuralNet.Tests.TestSupport;
using TabularCsv;

namespace NeuralNet.Tests.Samples;

/// <summary>
/// samples/TabularCsv: its training program is the README's block, what it prints is the README's report, and the saved
/// model and the ONNX file served by ONNX Runtime name the same class for raw rows of the file.
/// </summary>
public sealed class TabularCsvTests : IDisposable
{
    private const string Section = "## From a CSV file to a served model";

    private readonly string _directory = Directory.CreateTempSubdirectory("tabular-").FullName;

    private static string Csv => Path.Combine(Repository.Root(), "samples", "TabularCsv", "data", "synthetic-penguins.csv");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Training_prints_the_report_the_readme_shows_and_classifies_the_test_set_well()
    {
        ClassificationReport report = Train.Run(Csv, Path.Combine(_directory, "penguins.nnet"));

        string[] readme = ReadmeSection();
        int start = Array.FindIndex(readme, l => l.TrimStart().StartsWith("precision", StringComparison.Ordinal));
        int end = Array.FindIndex(readme, start, l => l.StartsWith("weighted avg", StringComparison.Ordinal));
        start.Should().BePositive("the README shows the report");
        string.Join('\n', readme[start..(end + 1)]).Should().Be(report.ToString().TrimEnd('\n'));

        report.Classes.Select(c => c.Name).Should().Equal("Adelie", "Chinstrap", "Gentoo");
        report.Accuracy.Should().BeGreaterThan(0.9);
        File.Exists(Path.Combine(_directory, "penguins.onnx")).Should().BeTrue();
    }

    [Fact]
    public void The_saved_model_and_onnx_runtime_name_the_same_class_for_raw_rows()
    {
        string model = Path.Combine(_directory, "penguins.nnet");
        Train.Run(Csv, model);

        // The file's complete rows as they are written: columns 2 to 5 are the measurements, column 6 the species.
        string[][] rows = [.. File.ReadLines(Csv).Skip(1).Select(l => l.Split(',')).Where(c => !c.Contains(string.Empty)).Take(40)];
        int right = 0;
        foreach (string[] cells in rows)
        {
            float[] raw = [.. cells[2..6].Select(c => float.Parse(c, CultureInfo.InvariantCulture))];
            (string neuralNet, string onnxRuntime) = Serve.Predict(model, Path.ChangeExtension(model, ".onnx"), raw);

            onnxRuntime.Should().Be(neuralNet, $"both are given the raw row {string.Join(',', cells)}");
            right += neuralNet == cells[6] ? 1 : 0;
        }

        right.Should().BeGreaterThan(36, "the names are the file's species, not class numbers");
        Serve.Predict(model, Path.ChangeExtension(model, ".onnx"), [47.5f, 15.0f, 217f, 5080f])
            .Should().Be(("Gentoo", "Gentoo"), "the README shows this answer");
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

    private static string[] ReadmeSection()
    {
        string[] lines = Repository.Readme().Split('\n');
        int start = Array.IndexOf(lines, Section);
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[start..end];
    }
}
