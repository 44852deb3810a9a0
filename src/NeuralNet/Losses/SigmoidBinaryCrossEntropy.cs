using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Sigmoid and binary cross-entropy fused, per output, from logits, averaged over every output of every sample:
/// <c>L = (1/(m·k)) Σ_i Σ_j [max(z, 0) − z·y + log(1 + e^-|z|)]</c> for m samples and k outputs, gradient
/// <c>(σ(Z) − Y)/(m·k)</c>.
/// </summary>
/// <remarks>
/// This form equals <c>−y·log σ(z) − (1 − y)·log(1 − σ(z))</c> but never takes the log of 0 nor overflows,
/// whatever the logit. Each output is an independent yes/no, so one output serves two classes and several
/// outputs serve multi-label problems. The mean over all outputs is PyTorch's <c>BCEWithLogitsLoss</c> and Keras'
/// <c>BinaryCrossentropy(from_logits=True)</c>, so a learning rate carries over from either.
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

    /// <inheritdoc/>
    public override bool IsClassification => true;

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation.Sigmoid;

    /// <inheritdoc/>
    protected internal override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T total = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            total += Element(output[k], target[k]);
        }

        return total / T.CreateChecked(output.Length);
    }

    /// <inheritdoc/>
    protected internal override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        T inverseCount = T.One / T.CreateChecked(output.Length);
        T total = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            total += Element(output[k], target[k]);
        }

        TensorPrimitives.Sigmoid(output, gradient);
        for (int k = 0; k < output.Length; k++)
        {
            gradient[k] = (gradient[k] - target[k]) * inverseCount;
        }

        return total / T.CreateChecked(output.Length);
    }

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
