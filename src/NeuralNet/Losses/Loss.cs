using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Losses;

/// <summary>
/// A cost function of the network's raw output <c>Z</c> and the targets <c>Y</c>, reported as the mean
/// over the batch's samples. The gradient carries that <c>1/m</c>; nothing downstream divides again.
/// </summary>
/// <remarks>
/// A loss also owns the link from raw outputs to predictions (<see cref="Transform{T}(Matrix{T})"/>): softmax for
/// <see cref="SoftmaxCrossEntropy"/>, the logistic function for <see cref="SigmoidBinaryCrossEntropy"/>
/// and the identity for <see cref="MeanSquaredError"/>. The fused losses take logits, so the network's last
/// layer keeps the identity activation and the loss computes from logits with no overflow.
/// Instances are immutable and thread-safe. Matrices have one row per sample.
/// </remarks>
public abstract class Loss
{
    private protected Loss()
    {
    }

    /// <summary>Mean squared error: the article's quadratic cost <c>½‖a − y‖²</c>, averaged over samples.</summary>
    public static MeanSquaredError MeanSquaredError { get; } = new();

    /// <summary>Softmax followed by cross-entropy, computed from logits; gradient <c>(P − Y)/m</c>.</summary>
    public static SoftmaxCrossEntropy SoftmaxCrossEntropy { get; } = new();

    /// <summary>Sigmoid followed by binary cross-entropy per output, computed from logits; gradient <c>(σ(Z) − Y)/m</c>.</summary>
    public static SigmoidBinaryCrossEntropy SigmoidBinaryCrossEntropy { get; } = new();

    /// <summary>A short stable identifier, such as <c>softmax_cross_entropy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when the loss applies its own output function to logits, so the last layer must use the
    /// <see cref="Activations.Identity"/> activation.
    /// </summary>
    public virtual bool ExpectsLogits => false;

    /// <summary>The loss averaged over the samples (rows).</summary>
    /// <param name="output">The network's raw output, samples × outputs.</param>
    /// <param name="target">The targets, samples × outputs.</param>
    /// <returns>The batch mean of the per-sample loss.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public T Compute<T>(Matrix<T> output, Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(output, target);
        return Value<T>(Storage.Read(output, out _), Storage.Read(target, out _), output.RowCount);
    }

    /// <summary>The gradient <c>dL/dZ</c> of the batch-mean loss with respect to the raw output.</summary>
    /// <param name="output">The network's raw output, samples × outputs.</param>
    /// <param name="target">The targets, samples × outputs.</param>
    /// <returns>dL/dZ, samples × outputs, already divided by the number of samples.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public Matrix<T> Gradient<T>(Matrix<T> output, Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(output, target);
        Matrix<T> gradient = Storage.NewDense<T>(output.RowCount, output.ColumnCount);
        ValueAndGradient<T>(Storage.Read(output, out _), Storage.Read(target, out _), Storage.Of(gradient), output.RowCount);
        return gradient;
    }

    /// <summary>Maps raw outputs to predictions: probabilities for the cross-entropy losses, values for regression.</summary>
    /// <param name="output">The network's raw output, samples × outputs.</param>
    /// <returns>A new matrix of predictions, samples × outputs.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> is empty.</exception>
    public Matrix<T> Transform<T>(Matrix<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(output, nameof(output));
        Matrix<T> result = Storage.NewDense<T>(output.RowCount, output.ColumnCount);
        Transform<T>(Storage.Read(output, out _), Storage.Of(result), output.RowCount);
        return result;
    }

    /// <summary>The batch-mean loss on column-major storage.</summary>
    internal abstract T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes dL/dZ (with the 1/m) into <paramref name="gradient"/> and returns the batch-mean loss.</summary>
    internal abstract T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes the predictions for raw outputs into <paramref name="result"/>.</summary>
    internal abstract void Transform<T>(ReadOnlySpan<T> output, Span<T> result, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <inheritdoc/>
    public override string ToString() => Name;

    private void Check<T>(Matrix<T> output, Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(output, nameof(output));
        ArgumentNullException.ThrowIfNull(target);
        Guard.SameShape(target, output.RowCount, output.ColumnCount, Name, nameof(target));
    }
}
