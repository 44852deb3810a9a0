using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Softmax and cross-entropy fused, from logits: <c>L = (1/m) Σ_i Σ_j y_ij (logΣ_k e^(z_ik) − z_ij)</c>.
/// </summary>
/// <remarks>
/// The log-sum-exp subtracts the row maximum, so logits of any finite size give a finite loss and no
/// <c>log 0</c> is ever taken. The gradient is <c>(P·Σ_j y_ij − Y)/m</c> with <c>P = softmax(Z)</c>, which for
/// one-hot (or any probability-vector) targets is the article's <c>(P − Y)/m</c>.
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    internal SoftmaxCrossEntropy()
    {
    }

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy";

    /// <inheritdoc/>
    public override bool ExpectsLogits => true;

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation.Softmax;

    /// <summary>Needs two outputs or more: softmax over a single output is always 1, so its loss and gradient are 0 and nothing would be learned.</summary>
    /// <inheritdoc/>
    protected internal override void CheckOutputCount(int outputs)
    {
        if (outputs < 2)
        {
            throw new ArgumentException($"{Name} needs one output per class, at least two, but the network has {outputs}: softmax over a single output is always 1, so nothing would be learned. For two classes with one output, use Loss.SigmoidBinaryCrossEntropy.", nameof(outputs));
        }
    }

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        int columns = output.Length / rows;
        T total = T.Zero;
        for (int i = 0; i < rows; i++)
        {
            T lse = LogSumExp(output, rows, columns, i);
            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                total += target[k] * (lse - output[k]);
            }
        }

        return total / T.CreateChecked(rows);
    }

    /// <inheritdoc/>
    protected internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        int columns = output.Length / rows;
        T inverseRows = T.One / T.CreateChecked(rows);
        T total = T.Zero;
        for (int i = 0; i < rows; i++)
        {
            T lse = LogSumExp(output, rows, columns, i);
            T targetSum = T.Zero;
            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                total += target[k] * (lse - output[k]);
                targetSum += target[k];
            }

            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                T p = T.Exp(output[k] - lse);
                gradient[k] = ((p * targetSum) - target[k]) * inverseRows;
            }
        }

        return total / T.CreateChecked(rows);
    }

    private static T LogSumExp<T>(ReadOnlySpan<T> output, int rows, int columns, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        for (int j = 0; j < columns; j++)
        {
            max = T.Max(max, output[(j * rows) + row]);
        }

        T sum = T.Zero;
        for (int j = 0; j < columns; j++)
        {
            sum += T.Exp(output[(j * rows) + row] - max);
        }

        return max + T.Log(sum);
    }
}
