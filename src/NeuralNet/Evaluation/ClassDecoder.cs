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
}
