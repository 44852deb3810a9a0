using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Counts the samples of a training batch whose predicted class matches the target, from the network's raw outputs
/// (logits): the largest column for several outputs (softmax keeps the order of its inputs), or a logit ≥ 0 (a logistic
/// probability ≥ ½) for a single output. It allocates nothing, so it can run every step.
/// </summary>
internal static class BatchAccuracy
{
    public static int Correct<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int correct = 0;
        if (columns == 1)
        {
            T half = T.CreateChecked(0.5);
            for (int i = 0; i < rows; i++)
            {
                // A NaN logit compares false both ways and so counts as wrong, as ClassDecoder gives it no class.
                bool predicted = outputs[i] >= T.Zero;
                bool positive = targets[i] >= half;
                if (T.IsFinite(outputs[i]) && predicted == positive)
                {
                    correct++;
                }
            }

            return correct;
        }

        for (int i = 0; i < rows; i++)
        {
            if (ArgMax(outputs, rows, columns, i) == ArgMax(targets, rows, columns, i))
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>The largest column of row <paramref name="row"/> in column-major storage; −1 when the row holds a non-finite value.</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> values, int rows, int columns, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        bool finite = T.IsFinite(values[row]);
        for (int j = 1; j < columns; j++)
        {
            T value = values[(j * rows) + row];
            finite &= T.IsFinite(value);
            if (value > values[(best * rows) + row])
            {
                best = j;
            }
        }

        return finite ? best : -1;
    }
}
