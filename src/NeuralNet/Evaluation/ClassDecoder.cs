using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Evaluation;

/// <summary>
/// Reads classes off rows of predictions or targets: the largest column, or a ½ threshold for a single output. A row
/// holding a non-finite value has no class and gets −1 (so it never matches a label).
/// </summary>
internal static class ClassDecoder
{
    public static int[] Classes<T>(Matrix<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = Storage.Of(rows);
        int count = rows.RowCount;
        int columns = rows.ColumnCount;
        var classes = new int[count];
        T half = T.CreateChecked(0.5);
        for (int i = 0; i < count; i++)
        {
            int best = 0;
            bool finite = T.IsFinite(values[i]);
            for (int j = 1; j < columns; j++)
            {
                T value = values[(j * count) + i];
                finite &= T.IsFinite(value);
                if (value > values[(best * count) + i])
                {
                    best = j;
                }
            }

            classes[i] = !finite ? -1 : columns == 1 ? (values[i] >= half ? 1 : 0) : best;
        }

        return classes;
    }

    /// <summary>The classes of predictions, refusing a sample whose prediction is not finite: it has no class.</summary>
    public static int[] PredictedClasses<T>(Matrix<T> predictions, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] classes = Classes(predictions);
        int missing = Array.IndexOf(classes, -1);
        return missing < 0
            ? classes
            : throw new ArgumentException($"The prediction for sample {missing} is not finite, so it has no class: its features, or the network's weights, hold NaN or infinity.", paramName);
    }
}
