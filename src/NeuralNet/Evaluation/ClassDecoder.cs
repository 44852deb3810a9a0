using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Evaluation;

/// <summary>Reads classes off rows of predictions or targets: the largest column, or a ½ threshold for a single output.</summary>
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
            if (columns == 1)
            {
                classes[i] = values[i] >= half ? 1 : 0;
                continue;
            }

            int best = 0;
            for (int j = 1; j < columns; j++)
            {
                if (values[(j * count) + i] > values[(best * count) + i])
                {
                    best = j;
                }
            }

            classes[i] = best;
        }

        return classes;
    }
}
