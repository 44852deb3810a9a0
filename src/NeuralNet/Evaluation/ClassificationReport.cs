using System.Globalization;
using System.Text;

namespace NeuralNet.Evaluation;

/// <summary>
/// Per-class precision, recall, F1 and support, their macro and weighted averages and the accuracy, computed and
/// printed as scikit-learn's <c>classification_report</c> does.
/// </summary>
/// <remarks>
/// <para>Every class of the confusion matrix has a line, including classes that neither occur nor are predicted
/// (scikit-learn's <c>labels=range(k)</c>).</para>
/// <para>Zero division: a class never predicted has precision 0, a class with no samples has recall 0, and F1 is 0
/// when precision and recall are both 0. This is scikit-learn's <c>zero_division=0</c> (its default <c>"warn"</c>
/// gives the same numbers with a warning). These zeros count in the averages.</para>
/// <para>The macro average is the unweighted mean of the class scores; the weighted average weights each class by
/// its support, <c>Σ support_c · score_c / Σ support_c</c>.</para>
/// </remarks>
public sealed class ClassificationReport
{
    /// <summary>Scores the predictions counted in <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The counts; its class names (or class numbers when it has none) name the lines.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public ClassificationReport(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var classes = new ClassScores[matrix.ClassCount];
        for (int c = 0; c < classes.Length; c++)
        {
            int support = 0;
            for (int p = 0; p < classes.Length; p++)
            {
                support += matrix[c, p];
            }

            string name = matrix.ClassNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);
            classes[c] = new ClassScores(name, matrix.Precision(c), matrix.Recall(c), matrix.F1(c), support);
        }

        Classes = classes;
        Accuracy = matrix.Accuracy;
        Total = matrix.Total;
        MacroAverage = new ClassScores(
            "macro avg",
            classes.Average(s => s.Precision),
            classes.Average(s => s.Recall),
            classes.Average(s => s.F1),
            Total);
        WeightedAverage = new ClassScores(
            "weighted avg",
            classes.Sum(s => s.Precision * s.Support) / Total,
            classes.Sum(s => s.Recall * s.Support) / Total,
            classes.Sum(s => s.F1 * s.Support) / Total,
            Total);
    }

    /// <summary>Scores <paramref name="predicted"/> against <paramref name="expected"/>, naming the classes.</summary>
    /// <param name="expected">The true classes.</param>
    /// <param name="predicted">The predicted classes, as many as <paramref name="expected"/>.</param>
    /// <param name="classNames">One name per class (such as a network's <see cref="Network{T}.ClassNames"/>); their number is the class count.</param>
    /// <exception cref="ArgumentNullException">A list or a name is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are no names.</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a class is out of range.</exception>
    public ClassificationReport(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
        : this(new ConfusionMatrix(expected, predicted, classNames))
    {
    }

    /// <summary>The scores of each class, in class order.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>The unweighted mean of the class scores; its support is the sample count.</summary>
    public ClassScores MacroAverage { get; }

    /// <summary>The support-weighted mean of the class scores; its support is the sample count.</summary>
    public ClassScores WeightedAverage { get; }

    /// <summary>The fraction of all samples predicted correctly.</summary>
    public double Accuracy { get; }

    /// <summary>The number of samples scored.</summary>
    public int Total { get; }

    /// <summary>The report as scikit-learn prints it, with two decimals.</summary>
    /// <returns>The text table, lines ending in "\n".</returns>
    public override string ToString() => ToString(2);

    /// <summary>The report as scikit-learn prints it: a header, one line per class, then accuracy, macro and weighted averages.</summary>
    /// <param name="digits">The decimals of the scores, 0 to 15 (scikit-learn's <c>digits</c>).</param>
    /// <returns>The text table, lines ending in "\n".</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is outside [0, 15].</exception>
    public string ToString(int digits)
    {
        if (digits is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(digits), digits, $"Expected 0 to 15 decimals, but got {digits}.");
        }

        int width = Math.Max(WeightedAverage.Name.Length, Classes.Max(s => s.Name.Length));
        var text = new StringBuilder();
        text.Append(string.Empty.PadLeft(width)).Append(' ');
        foreach (string header in (string[])["precision", "recall", "f1-score", "support"])
        {
            text.Append(' ').Append(header.PadLeft(9));
        }

        text.Append("\n\n");
        foreach (ClassScores scores in Classes)
        {
            Line(text, scores, width, digits);
        }

        text.Append('\n');
        text.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ', 20)
            .Append(' ').Append(Number(Accuracy, digits))
            .Append(' ').Append(Total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        Line(text, MacroAverage, width, digits);
        Line(text, WeightedAverage, width, digits);
        return text.ToString();
    }

    private static void Line(StringBuilder text, ClassScores scores, int width, int digits)
        => text.Append(scores.Name.PadLeft(width)).Append(' ')
            .Append(' ').Append(Number(scores.Precision, digits))
            .Append(' ').Append(Number(scores.Recall, digits))
            .Append(' ').Append(Number(scores.F1, digits))
            .Append(' ').Append(scores.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');

    // Python rounds the exact binary value half to even (0.625 prints as 0.62); .NET's "F" format rounds half away
    // from zero. The score's exact decimal digits (27 fit a decimal for values in [0, 1]) rounded to even match Python.
    private static string Number(double value, int digits)
    {
        decimal exact = decimal.Parse(value.ToString("F27", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Round(exact, digits, MidpointRounding.ToEven)
            .ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).PadLeft(9);
    }
}
