using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Losses;

/// <summary>
/// Sigmoid and binary cross-entropy fused, per output, from logits:
/// <c>L = (1/m) Σ_i Σ_j [max(z, 0) − z·y + log(1 + e^-|z|)]</c>, gradient <c>(σ(Z) − Y)/m</c>.
/// </summary>
/// <remarks>
/// This form equals <c>−y·log σ(z) − (1 − y)·log(1 − σ(z))</c> but never takes the log of 0 nor overflows,
/// whatever the logit. Each output is an independent yes/no, so one output serves two classes and several
/// outputs serve multi-label problems.
/// </remarks>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    internal SigmoidBinaryCrossEntropy()
    {
    }

    /// <inheritdoc/>
    public override string Name => "sigmoid_binary_cross_entropy";

    /// <inheritdoc/>
    public override bool ExpectsLogits => true;

    internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T total = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            total += Element(output[k], target[k]);
        }

        return total / T.CreateChecked(rows);
    }

    internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        T inverseRows = T.One / T.CreateChecked(rows);
        T total = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            total += Element(output[k], target[k]);
        }

        TensorPrimitives.Sigmoid(output, gradient);
        for (int k = 0; k < output.Length; k++)
        {
            gradient[k] = (gradient[k] - target[k]) * inverseRows;
        }

        return total / T.CreateChecked(rows);
    }

    internal override void Transform<T>(ReadOnlySpan<T> output, Span<T> result, int rows) => TensorPrimitives.Sigmoid(output, result);

    private static T Element<T>(T z, T y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => T.Max(z, T.Zero) - (z * y) + LogOnePlus(T.Exp(-T.Abs(z)));

    /// <summary>
    /// <c>log(1 + x)</c> for x in [0, 1], accurate when x is tiny (where <c>log(1 + x)</c> rounds to 0): the ratio
    /// <c>x / (u − 1)</c> with <c>u = 1 + x</c> cancels the rounding of u (Goldberg's correction).
    /// </summary>
    private static T LogOnePlus<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }
}
