using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>One-hot encoding of class labels: label k becomes a row with 1 in column k and 0 elsewhere.</summary>
public static class OneHot
{
    /// <summary>Encodes <paramref name="labels"/> as one-hot rows.</summary>
    /// <param name="labels">One class index per sample, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes (columns), positive.</param>
    /// <returns>A samples × <paramref name="classCount"/> matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive, or labels × classes is more than one array holds (checked in 64 bits, before allocation).</exception>
    /// <exception cref="ArgumentException">No labels, or a label out of range.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Matrix<T> Encode<T>(IReadOnlyList<int> labels, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Positive(classCount, nameof(classCount));
        if (labels.Count == 0)
        {
            throw new ArgumentException("Expected at least one label, but got none.", nameof(labels));
        }

        Guard.MatrixSize(labels.Count, classCount, $"The one-hot encoding of {labels.Count} labels in {classCount} classes", nameof(classCount));
        Matrix<T> result = Storage.NewDense<T>(labels.Count, classCount);
        Span<T> values = Storage.Of(result);
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Expected labels in [0, {classCount - 1}], but the label at index {i} is {labels[i]}.", nameof(labels));
            }

            // label × count is taken in 64 bits: for large encodings it passes int even where the sum fits the matrix.
            values[checked((int)(((long)labels[i] * labels.Count) + i))] = T.One;
        }

        return result;
    }

    /// <summary>The column of the largest value in each row (the first on ties): the inverse of <see cref="Encode{T}"/>.</summary>
    /// <param name="rows">Samples × classes.</param>
    /// <returns>One class index per row.</returns>
    /// <exception cref="ArgumentException">The matrix is empty.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static int[] Decode<T>(Matrix<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        Guard.NotEmpty(rows, nameof(rows));
        ReadOnlySpan<T> values = Storage.Read(rows, out _);
        int count = rows.RowCount;
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            int best = 0;
            for (int j = 1; j < rows.ColumnCount; j++)
            {
                if (values[(j * count) + i] > values[(best * count) + i])
                {
                    best = j;
                }
            }

            result[i] = best;
        }

        return result;
    }
}
