using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Samples;

/// <summary>
/// samples/ArticleExample, run as a user runs it: its first lines are the article's, and what it prints is what the
/// README's section on it says, so neither can drift from the other.
/// </summary>
public partial class ArticleExampleTests
{
    private const string Section = "### The article's example, run";

    // One run serves every test here: the sample takes a few seconds.
    private static readonly Lazy<string[]> Output = new(RunSample);

    [Fact]
    public void The_first_lines_are_the_article_cost_every_100_iterations_and_stay_at_ln_2()
    {
        string[] lines = Output.Value;

        for (int k = 0; k < 10; k++)
        {
            Match match = CostLine().Match(lines[k]);
            match.Success.Should().BeTrue($"line {k + 1} should read 'Cost after iteration i: c', as the article prints, but is '{lines[k]}'");
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).Should().Be(100 * k);

            // With weights of randn·0.01 nothing is learnt: the cost stays where answering ½ for both classes puts it.
            double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture).Should().BeApproximately(Math.Log(2), 1e-6);
        }
    }

    [Fact]
    public void The_readme_shows_the_cost_lines_and_the_summary_the_sample_prints()
    {
        string[] lines = Output.Value;
        string[] readme = ReadmeSection();

        string[] quoted = [.. readme.Where(line => CostLine().IsMatch(line))];
        quoted.Should().NotBeEmpty("the README quotes the article's cost lines");
        foreach (string line in quoted)
        {
            Match match = CostLine().Match(line);
            string printed = lines.Single(l => l.StartsWith($"Cost after iteration {match.Groups[1].Value}:", StringComparison.Ordinal));

            // The last digits depend on the matrix backend; the README shows one machine's run.
            double.Parse(CostLine().Match(printed).Groups[2].Value, CultureInfo.InvariantCulture)
                .Should().BeApproximately(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 1e-12, line);
        }

        string summary = lines.Single(l => l.StartsWith("After 1,000 iterations", StringComparison.Ordinal));
        readme.Contains(summary).Should().BeTrue($"the README should quote the sample's summary '{summary}'");
    }

    [Fact]
    public void The_readme_tables_are_the_ones_the_sample_prints()
    {
        string[][] printed = [.. TableRows(Output.Value)];
        string[][] readme = [.. TableRows(ReadmeSection())];

        // The gradient norms, the starting costs and the table of changes, row for row.
        readme.Should().HaveCount(printed.Length);
        for (int r = 0; r < printed.Length; r++)
        {
            readme[r].Should().HaveCount(printed[r].Length, string.Join(" | ", printed[r]));
            for (int c = 0; c < printed[r].Length; c++)
            {
                CellsAgree(readme[r][c], printed[r][c]).Should().BeTrue($"the README's '{readme[r][c]}' should be the sample's '{printed[r][c]}' (row '{string.Join(" | ", printed[r])}')");
            }
        }
    }

    [Fact]
    public void The_last_line_names_the_best_change_and_the_readme_states_the_same()
    {
        string last = Output.Value.Last(line => line.Length > 0);

        last.Should().MatchRegex(@"^best change: .+, training accuracy: [01]\.\d\d$");
        ReadmeSection().Contains(last).Should().BeTrue($"the README should state the sample's last line '{last}'");
    }

    [GeneratedRegex(@"^Cost after iteration (\d+): (\d+\.\d+(?:E-?\d+)?)$")]
    private static partial Regex CostLine();

    /// <summary>
    /// Equal text, or numbers within 1%: another matrix backend changes the last bits of every product, and 1,000
    /// iterations can carry that into the fourth decimal of a cost (it moved 0.2871's fifth digit here).
    /// </summary>
    private static bool CellsAgree(string readme, string printed)
    {
        const NumberStyles Number = NumberStyles.Float | NumberStyles.AllowThousands;
        if (double.TryParse(readme, Number, CultureInfo.InvariantCulture, out double stated) && double.TryParse(printed, Number, CultureInfo.InvariantCulture, out double measured))
        {
            return Math.Abs(stated - measured) <= 0.01 * Math.Abs(measured);
        }

        return readme == printed;
    }

    /// <summary>The cells of every Markdown table row, header rows included, separator rows left out.</summary>
    private static IEnumerable<string[]> TableRows(IEnumerable<string> lines) => lines
        .Where(line => line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
        .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray());

    /// <summary>The README's lines from the sample's heading to the next heading.</summary>
    private static string[] ReadmeSection()
    {
        string[] lines = Repository.Readme().Split('\n');
        int start = Array.IndexOf(lines, Section);
        start.Should().BeGreaterThan(0, $"the README has a section '{Section}'");
        int end = Array.FindIndex(lines, start + 1, line => line.StartsWith('#'));
        return lines[start..(end < 0 ? lines.Length : end)];
    }

    /// <summary>Runs the sample's program, which the test project references and so builds and copies beside this assembly.</summary>
    private static string[] RunSample()
    {
        var start = new ProcessStartInfo(DotnetHost(), ["exec", Path.Combine(AppContext.BaseDirectory, "ArticleExample.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The sample did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, errors.Result);
        return output.ReplaceLineEndings("\n").Split('\n');
    }

    /// <summary>The dotnet host running the tests, so the sample runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
