namespace NeuralNet.Evaluation;

/// <summary>One line of a <see cref="ClassificationReport"/>: the scores of one class, or an average over the classes.</summary>
/// <param name="Name">The class name (the class number when the classes have no names), or "macro avg" / "weighted avg".</param>
/// <param name="Precision">Of the samples predicted as the class, the fraction that are; 0 when none were (see <see cref="ClassificationReport"/>).</param>
/// <param name="Recall">Of the samples of the class, the fraction predicted so; 0 when the class has none.</param>
/// <param name="F1">The harmonic mean of <paramref name="Precision"/> and <paramref name="Recall"/>; 0 when both are 0.</param>
/// <param name="Support">The number of samples of the class (for an average: of all classes).</param>
public sealed record ClassScores(string Name, double Precision, double Recall, double F1, int Support);
