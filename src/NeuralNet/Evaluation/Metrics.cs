namespace NeuralNet.Evaluation;

/// <summary>Scores of predictions against known answers.</summary>
public static class Metrics
{
    /// <summary>The fraction of predicted classes equal to the expected ones.</summary>
    /// <param name="predicted">The predicted class indices.</param>
    /// <param name="expected">The true class indices, as many as <paramref name="predicted"/>.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> expected)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(expected);
        if (predicted.Count != expected.Count)
        {
            throw new ArgumentException($"Expected as many predictions as answers, but got {predicted.Count} predictions and {expected.Count} answers.", nameof(predicted));
        }

        if (predicted.Count == 0)
        {
            throw new ArgumentException("Expected at least one prediction, but got none.", nameof(predicted));
        }

        int correct = 0;
        for (int i = 0; i < predicted.Count; i++)
        {
            if (predicted[i] == expected[i])
            {
                correct++;
            }
        }

        return (double)correct / predicted.Count;
    }
}
