using System.Globalization;
using System.Text;

namespace NeuralNet.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs, with per-class precision, recall and F1.
/// Row = true class, column = predicted class.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;
    private readonly string[]? _classNames;

    /// <summary>Counts the pairs of <paramref name="expected"/> and <paramref name="predicted"/> classes.</summary>
    /// <param name="expected">The true classes.</param>
    /// <param name="predicted">The predicted classes, as many as <paramref name="expected"/>.</param>
    /// <param name="classCount">The number of classes; every class must lie in [0, classCount).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive, or classCount² counts are more than one array holds (checked in 64 bits, before allocation).</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a class is out of range.</exception>
    public ConfusionMatrix(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, int classCount)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(predicted);
        Internal.Guard.Positive(classCount, nameof(classCount));
        Internal.Guard.MatrixSize(classCount, classCount, $"A confusion matrix of {classCount} classes", nameof(classCount));
        if (expected.Count != predicted.Count || expected.Count == 0)
        {
            throw new ArgumentException($"Expected as many predictions as answers, at least one, but got {predicted.Count} predictions and {expected.Count} answers.", nameof(predicted));
        }

        _counts = new int[classCount, classCount];
        for (int i = 0; i < expected.Count; i++)
        {
            if ((uint)expected[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Expected classes in [0, {classCount - 1}], but the true class at index {i} is {expected[i]}.", nameof(expected));
            }

            if ((uint)predicted[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Expected classes in [0, {classCount - 1}], but the prediction at index {i} is {predicted[i]}.", nameof(predicted));
            }

            _counts[expected[i], predicted[i]]++;
        }

        Total = expected.Count;
    }

    /// <summary>Counts the pairs of <paramref name="expected"/> and <paramref name="predicted"/> classes of named classes, printed with their names.</summary>
    /// <param name="expected">The true classes.</param>
    /// <param name="predicted">The predicted classes, as many as <paramref name="expected"/>.</param>
    /// <param name="classNames">One name per class (such as a network's <see cref="Network{T}.ClassNames"/>); their number is the class count, and every class must lie in [0, count).</param>
    /// <exception cref="ArgumentNullException"><paramref name="classNames"/> or a name in it is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are no names, or count² counts are more than one array holds.</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a class is out of range.</exception>
    public ConfusionMatrix(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
        : this(expected, predicted, (classNames ?? throw new ArgumentNullException(nameof(classNames))).Count)
    {
        _classNames = [.. classNames];
        if (Array.IndexOf(_classNames, null) is int missing and >= 0)
        {
            throw new ArgumentNullException(nameof(classNames), $"Expected a name for every class, but class {missing}'s is null.");
        }
    }

    /// <summary>The names of the classes, or null when the matrix was counted without them.</summary>
    public IReadOnlyList<string>? ClassNames => _classNames;

    /// <summary>The number of classes.</summary>
    public int ClassCount => _counts.GetLength(0);

    /// <summary>The number of samples counted.</summary>
    public int Total { get; }

    /// <summary>The number of samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, <see cref="ClassCount"/>).</exception>
    public int this[int actual, int predicted] => _counts[Class(actual, nameof(actual)), Class(predicted, nameof(predicted))];

    /// <summary>The fraction of all samples predicted correctly.</summary>
    public double Accuracy
    {
        get
        {
            int correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += _counts[c, c];
            }

            return (double)correct / Total;
        }
    }

    /// <summary>Of the samples predicted as <paramref name="classIndex"/>, the fraction that are; 0 when none were predicted so.</summary>
    /// <param name="classIndex">The class.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double Precision(int classIndex)
    {
        Class(classIndex, nameof(classIndex));
        int predicted = 0;
        for (int r = 0; r < ClassCount; r++)
        {
            predicted += _counts[r, classIndex];
        }

        return predicted == 0 ? 0 : (double)_counts[classIndex, classIndex] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="classIndex"/>, the fraction predicted so; 0 when the class has none.</summary>
    /// <param name="classIndex">The class.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double Recall(int classIndex)
    {
        Class(classIndex, nameof(classIndex));
        int actual = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            actual += _counts[classIndex, c];
        }

        return actual == 0 ? 0 : (double)_counts[classIndex, classIndex] / actual;
    }

    /// <summary>The harmonic mean of precision and recall for <paramref name="classIndex"/>; 0 when both are 0.</summary>
    /// <param name="classIndex">The class.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double F1(int classIndex)
    {
        Class(classIndex, nameof(classIndex));
        double p = Precision(classIndex);
        double r = Recall(classIndex);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private int Class(int index, string paramName)
        => (uint)index < (uint)ClassCount
            ? index
            : throw new ArgumentOutOfRangeException(paramName, index, $"Expected a class in [0, {ClassCount - 1}], but got {index}.");

    /// <summary>The counts as a text table (rows: true class, columns: predicted class), headed by the class names when there are some, else by the class numbers.</summary>
    public override string ToString()
    {
        string[] labels = _classNames ?? [.. Enumerable.Range(0, ClassCount).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        int width = Math.Max(5, Math.Max(Total.ToString(CultureInfo.InvariantCulture).Length, labels.Max(l => l.Length)) + 1);
        var text = new StringBuilder();
        text.Append("true\\pred".PadLeft(width + 4));
        for (int c = 0; c < ClassCount; c++)
        {
            text.Append(labels[c].PadLeft(width));
        }

        text.AppendLine();
        for (int r = 0; r < ClassCount; r++)
        {
            text.Append(labels[r].PadLeft(width + 4));
            for (int c = 0; c < ClassCount; c++)
            {
                text.Append(_counts[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
