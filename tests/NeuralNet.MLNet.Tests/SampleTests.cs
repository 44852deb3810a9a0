using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public sealed partial class SampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnet-mlnet-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_sample_evaluates_saves_loads_and_predicts_a_wine()
    {
        IReadOnlyList<string> lines = ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "MLNet.dll"), [], _directory);

        Match heldOut = HeldOut().Match(string.Join('\n', lines));
        heldOut.Success.Should().BeTrue(string.Join('\n', lines));
        double.Parse(heldOut.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeGreaterThan(90);
        lines.Should().Contain(line => line.StartsWith("1. Cultivar2 ", StringComparison.Ordinal), "the confusion table names the classes");
        File.Exists(Path.Combine(_directory, "wine-model.zip")).Should().BeTrue();
        lines.Should().Contain(line => LoadedBack().IsMatch(line));
    }

    [GeneratedRegex(@"Held-out rows: 42; accuracy ([0-9.]+) %")]
    private static partial Regex HeldOut();

    [GeneratedRegex(@"^Loaded it back: the first held-out wine \((Cultivar\d)\) is predicted \1, with probabilities ")]
    private static partial Regex LoadedBack();
}
