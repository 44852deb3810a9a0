using System.Text.Json.Nodes;
using NeuralNet.Evaluation;

namespace NeuralNet.Tests.Evaluation;

/// <summary>
/// The classification report and macro/weighted F1 against scikit-learn's, from Fixtures/sklearn/classification_report.json
/// (written by Fixtures/sklearn/make_fixtures.py with Debian's python3-sklearn, zero_division=0).
/// </summary>
public class ClassificationReportTests
{
    private static readonly JsonNode Reference = JsonNode.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "sklearn", "classification_report.json")))!;

    public static TheoryData<string> Cases() => [.. Reference["cases"]!.AsArray().Select(c => (string)c!["name"]!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_score_matches_scikit_learn(string name)
    {
        (int[] expected, int[] predicted, string[] names, JsonNode sk) = Case(name);

        var report = new ClassificationReport(expected, predicted, names);

        report.Classes.Select(c => c.Name).Should().Equal(names);
        foreach (ClassScores scores in report.Classes)
        {
            Check(scores, sk["report"]![scores.Name]!);
        }

        Check(report.MacroAverage, sk["report"]!["macro avg"]!);
        Check(report.WeightedAverage, sk["report"]!["weighted avg"]!);
        report.Accuracy.Should().BeApproximately((double)sk["report"]!["accuracy"]!, 1e-12);
        report.Total.Should().Be(expected.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_text_is_scikit_learns_character_for_character(string name)
    {
        (int[] expected, int[] predicted, string[] names, JsonNode sk) = Case(name);

        new ClassificationReport(expected, predicted, names).ToString().Should().Be((string)sk["text"]!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Macro_and_weighted_f1_match_scikit_learns_f1_score(string name)
    {
        (int[] expected, int[] predicted, string[] names, JsonNode sk) = Case(name);

        Metrics.MacroF1(expected, predicted, names.Length).Should().BeApproximately((double)sk["macro_f1"]!, 1e-12);
        Metrics.WeightedF1(expected, predicted, names.Length).Should().BeApproximately((double)sk["weighted_f1"]!, 1e-12);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_and_counts_in_the_averages()
    {
        // Class 1 has two samples, both predicted 0: no prediction of 1, so precision 0 by the zero-division rule.
        var report = new ClassificationReport([0, 1, 1, 2], [0, 0, 0, 2], ["a", "b", "c"]);

        report.Classes[1].Should().Be(new ClassScores("b", 0, 0, 0, 2));
        // By hand: class a precision 1/3, recall 1, F1 0.5; class c 1, 1, 1. Macro F1 = (0.5 + 0 + 1) / 3.
        report.MacroAverage.F1.Should().BeApproximately(0.5, 1e-15);
        report.WeightedAverage.F1.Should().BeApproximately(((0.5 * 1) + (0 * 2) + (1 * 1)) / 4, 1e-15);
        report.MacroAverage.Precision.Should().BeApproximately(((1.0 / 3) + 0 + 1) / 3, 1e-15);
    }

    [Fact]
    public void Without_names_the_lines_are_the_class_numbers_and_digits_set_the_decimals()
    {
        var report = new ClassificationReport(new ConfusionMatrix([0, 1, 1], [0, 1, 0], 2));

        report.Classes.Select(c => c.Name).Should().Equal("0", "1");
        report.ToString(3).Should().Contain("\n    accuracy                          0.667         3\n");
    }

    [Fact]
    public void Digits_outside_0_to_15_are_refused_with_the_value()
    {
        var report = new ClassificationReport(new ConfusionMatrix([0], [0], 1));

        FluentActions.Invoking(() => report.ToString(16)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0 to 15 decimals, but got 16*");
    }

    [Fact]
    public void Bad_lists_are_refused_by_the_confusion_matrix_with_their_lengths()
    {
        FluentActions.Invoking(() => new ClassificationReport([0, 1], [0], ["a", "b"]))
            .Should().Throw<ArgumentException>().WithMessage("*1 predictions and 2 answers*");
        FluentActions.Invoking(() => Metrics.MacroF1([0, 3], [0, 1], 2))
            .Should().Throw<ArgumentException>().WithMessage("*[0, 1]*index 1 is 3*");
        FluentActions.Invoking(() => new ClassificationReport(null!)).Should().Throw<ArgumentNullException>();
    }

    private static (int[] Expected, int[] Predicted, string[] Names, JsonNode Case) Case(string name)
    {
        JsonNode sk = Reference["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
        return (
            [.. sk["y_true"]!.AsArray().Select(v => (int)v!)],
            [.. sk["y_pred"]!.AsArray().Select(v => (int)v!)],
            [.. sk["target_names"]!.AsArray().Select(v => (string)v!)],
            sk);
    }

    private static void Check(ClassScores scores, JsonNode sk)
    {
        scores.Precision.Should().BeApproximately((double)sk["precision"]!, 1e-12, scores.Name);
        scores.Recall.Should().BeApproximately((double)sk["recall"]!, 1e-12, scores.Name);
        scores.F1.Should().BeApproximately((double)sk["f1-score"]!, 1e-12, scores.Name);
        scores.Support.Should().Be((int)(double)sk["support"]!, scores.Name);
    }
}
