using System.Globalization;
using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Components;

namespace NeuralNet.Losses;

/// <summary>
/// Softmax and cross-entropy fused, from logits: <c>L = (1/m) Σ_i Σ_j y_ij (logΣ_k e^(z_ik) − z_ij)</c>.
/// </summary>
/// <remarks>
/// The log-sum-exp subtracts the row maximum, so logits of any finite size give a finite loss and no
/// <c>log 0</c> is ever taken. The gradient is <c>(P·Σ_j y_ij − Y)/m</c> with <c>P = softmax(Z)</c>, which for
/// one-hot (or any probability-vector) targets is the article's <c>(P − Y)/m</c>.
/// <para>
/// With class weights <c>w</c> (<see cref="Loss.WeightedSoftmaxCrossEntropy"/>) each class's term is scaled by its
/// weight and the sum is divided by the total weight of the targets instead of m:
/// <c>L = Σ_i Σ_j w_j·y_ij·(logΣ_k e^(z_ik) − z_ij) / Σ_i Σ_j w_j·y_ij</c>, with gradient
/// <c>(P·s_i − w ⊙ Y)/W</c>, where <c>s_i = Σ_j w_j·y_ij</c> and <c>W = Σ_i s_i</c>. For one-hot targets (what
/// <c>Fit</c> makes of class labels) this is PyTorch's <c>CrossEntropyLoss(weight=w)</c> on class indices exactly:
/// <c>Σ_i w[y_i]·(−log p_i,y_i) / Σ_i w[y_i]</c>. For soft targets the numerator is PyTorch's for probability targets,
/// <c>−Σ_j w_j·y_ij·log p_ij</c> per sample, but PyTorch divides that sum by m where this divides by W, so that one
/// definition covers both kinds of target; the two agree when every weight is 1 and every target row sums to 1. A
/// batch whose targets carry no weight (all its samples in classes of weight 0) has loss 0 and gradient 0, where
/// PyTorch gives NaN.
/// </para>
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    private readonly double[]? _classWeights;

    internal SoftmaxCrossEntropy()
    {
    }

    /// <summary>Creates the loss with a weight per class, as PyTorch's <c>CrossEntropyLoss(weight=w)</c>.</summary>
    /// <param name="classWeights">One weight per class, in the order of the network's outputs: at least two, each finite and non-negative, at least one positive. Copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="classWeights"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="classWeights"/> has fewer than two weights, one that is negative or not finite, or none that is positive.</exception>
    /// <remarks>The count is checked against the network's outputs when the network is built (or the loss given to it).</remarks>
    public SoftmaxCrossEntropy(IReadOnlyList<double> classWeights)
    {
        ArgumentNullException.ThrowIfNull(classWeights);
        double[] weights = [.. classWeights];
        if (weights.Length < 2)
        {
            throw new ArgumentException($"classWeights must hold one weight per class, at least two, but got {weights.Length}.", nameof(classWeights));
        }

        for (int j = 0; j < weights.Length; j++)
        {
            if (!(weights[j] >= 0) || !double.IsFinite(weights[j]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"classWeights must be finite and non-negative, but the weight of class {j} is {weights[j]}."), nameof(classWeights));
            }
        }

        if (Array.TrueForAll(weights, w => w == 0))
        {
            throw new ArgumentException($"classWeights must hold at least one positive weight, but all {weights.Length} are 0: no sample would count.", nameof(classWeights));
        }

        _classWeights = weights;
    }

    /// <summary>The weight of each class, or null when every class counts the same (the plain mean over samples).</summary>
    public IReadOnlyList<double>? ClassWeights => _classWeights;

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy";

    /// <inheritdoc/>
    public override bool ExpectsLogits => true;

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation.Softmax;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => _classWeights is null ? new() : new ComponentConfig().Set("class_weights", _classWeights);

    /// <summary>
    /// Needs two outputs or more: softmax over a single output is always 1, so its loss and gradient are 0 and nothing
    /// would be learned. With class weights, needs one weight per output.
    /// </summary>
    /// <inheritdoc/>
    protected internal override void CheckOutputCount(int outputs)
    {
        if (outputs < 2)
        {
            throw new ArgumentException($"{Name} needs one output per class, at least two, but the network has {outputs}: softmax over a single output is always 1, so nothing would be learned. For two classes with one output, use Loss.SigmoidBinaryCrossEntropy.", nameof(outputs));
        }

        if (_classWeights is not null && _classWeights.Length != outputs)
        {
            throw new ArgumentException($"{Name} has {_classWeights.Length} class weights, one per class, but the network has {outputs} outputs; give one weight per output.", nameof(outputs));
        }
    }

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        if (_classWeights is not null)
        {
            return Weighted(output, target, Span<T>.Empty, rows);
        }

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
        if (_classWeights is not null)
        {
            return Weighted(output, target, gradient, rows);
        }

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

    /// <summary>The class-weighted loss, and its gradient when <paramref name="gradient"/> is not empty.</summary>
    private T Weighted<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] weights = _classWeights!;
        int columns = output.Length / rows;
        if (columns != weights.Length)
        {
            throw new ArgumentException($"{Name} has {weights.Length} class weights, one per class, but the output has {columns} columns.", nameof(output));
        }

        // The denominator W first: the gradient of every entry carries 1/W.
        T total = T.Zero;
        T weightSum = T.Zero;
        for (int i = 0; i < rows; i++)
        {
            T lse = LogSumExp(output, rows, columns, i);
            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                T wy = T.CreateChecked(weights[j]) * target[k];
                total += wy * (lse - output[k]);
                weightSum += wy;
            }
        }

        // No weight in the batch: nothing to learn from it (PyTorch's 0/0 is NaN, which would stop a training).
        bool empty = weightSum == T.Zero;
        if (!gradient.IsEmpty)
        {
            T inverse = empty ? T.Zero : T.One / weightSum;
            for (int i = 0; i < rows; i++)
            {
                T lse = LogSumExp(output, rows, columns, i);
                T rowWeight = T.Zero;
                for (int j = 0; j < columns; j++)
                {
                    rowWeight += T.CreateChecked(weights[j]) * target[(j * rows) + i];
                }

                for (int j = 0; j < columns; j++)
                {
                    int k = (j * rows) + i;
                    T p = T.Exp(output[k] - lse);
                    gradient[k] = ((p * rowWeight) - (T.CreateChecked(weights[j]) * target[k])) * inverse;
                }
            }
        }

        return empty ? T.Zero : total / weightSum;
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
