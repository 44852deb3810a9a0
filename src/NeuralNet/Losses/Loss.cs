using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Losses;

/// <summary>
/// A cost function of the network's raw output <c>Z</c> and the targets <c>Y</c>, reported as the mean
/// over the batch's samples. The gradient carries that <c>1/m</c>; nothing downstream divides again.
/// </summary>
/// <remarks>
/// <para>
/// A loss also owns the link from raw outputs to predictions (<see cref="OutputActivation"/>, applied by
/// <see cref="Transform{T}(Matrix{T})"/>): softmax for <see cref="SoftmaxCrossEntropy"/>, the logistic function for
/// <see cref="SigmoidBinaryCrossEntropy"/> and the identity for <see cref="MeanSquaredError"/>. The fused losses take
/// logits, so the network's last layer keeps the identity activation and the loss computes from logits with no
/// overflow. Instances are immutable and thread-safe. Matrices have one row per sample.
/// </para>
/// <para>
/// To add a loss, derive from this class (implement <see cref="Value{T}"/>, <see cref="ValueAndGradient{T}"/> and
/// <see cref="Name"/>) and register it in <see cref="Components.ComponentRegistry.Losses"/> under its name.
/// </para>
/// </remarks>
public abstract class Loss
{
    /// <summary>Creates the loss; derived classes hold only immutable hyper-parameters.</summary>
    protected Loss()
    {
    }

    /// <summary>Mean squared error: the article's quadratic cost <c>½‖a − y‖²</c>, averaged over samples.</summary>
    public static MeanSquaredError MeanSquaredError { get; } = new();

    /// <summary>Softmax followed by cross-entropy, computed from logits; gradient <c>(P − Y)/m</c>.</summary>
    public static SoftmaxCrossEntropy SoftmaxCrossEntropy { get; } = new();

    /// <summary>The Huber loss: squared error within <paramref name="delta"/> of the target, absolute error beyond, averaged over every output.</summary>
    /// <param name="delta">δ, where the loss turns from quadratic to linear: a positive finite number. Default 1.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public static Huber Huber(double delta = 1.0) => new(delta);

    /// <summary>The mean absolute error <c>|z − y|</c> over every output of every sample; gradient <c>sign(Z − Y)/(m·k)</c>.</summary>
    public static MeanAbsoluteError MeanAbsoluteError { get; } = new();

    /// <summary>Softmax cross-entropy from logits with a weight per class: the weighted mean, as PyTorch's <c>CrossEntropyLoss(weight=w)</c>.</summary>
    /// <param name="classWeights">One weight per class: at least two, each finite and non-negative, at least one positive.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="classWeights"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="classWeights"/> has fewer than two weights, one that is negative or not finite, or none that is positive.</exception>
    public static SoftmaxCrossEntropy WeightedSoftmaxCrossEntropy(IReadOnlyList<double> classWeights) => new(classWeights);

    /// <summary>Sigmoid followed by binary cross-entropy per output, computed from logits; gradient <c>(σ(Z) − Y)/m</c>.</summary>
    public static SigmoidBinaryCrossEntropy SigmoidBinaryCrossEntropy { get; } = new();

    /// <summary>The stable name it is registered under, such as <c>softmax_cross_entropy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when the loss applies its own output function to logits, so the last layer must use the
    /// <see cref="Activations.Identity"/> activation.
    /// </summary>
    public virtual bool ExpectsLogits => false;

    /// <summary>
    /// True when targets are classes, so predictions are scored by accuracy (the cross-entropy losses); false when
    /// they are values, scored by R² (squared error).
    /// </summary>
    public virtual bool IsClassification => false;

    /// <summary>
    /// The function from raw outputs to predictions, which <c>Predict</c> applies and an ONNX export writes as the
    /// graph's last node: softmax, the logistic function, or the identity.
    /// </summary>
    public virtual Activation OutputActivation => Activation.Identity;

    /// <summary>The hyper-parameters the registered factory needs to rebuild this loss; empty when it has none.</summary>
    /// <returns>A new configuration.</returns>
    public virtual ComponentConfig GetConfig() => new();

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

    /// <inheritdoc/>
    public override string ToString()
    {
        ComponentConfig config = GetConfig();
        return config.Count == 0 ? Name : $"{Name}({config})";
    }

    /// <summary>
    /// Checks that a network with <paramref name="outputs"/> outputs can be trained on this loss; the network calls it
    /// when it is built. The default accepts any positive count.
    /// </summary>
    /// <param name="outputs">The network's number of outputs.</param>
    /// <exception cref="ArgumentException">The loss cannot be used with that many outputs; the message says what to use instead.</exception>
    protected internal virtual void CheckOutputCount(int outputs)
    {
    }

    /// <summary>
    /// The batch-mean loss. The spans hold samples × outputs matrices column by column (one output's values for every
    /// sample, then the next output's), <paramref name="rows"/> samples long.
    /// </summary>
    /// <param name="output">The network's raw output.</param>
    /// <param name="target">The targets.</param>
    /// <param name="rows">The number of samples.</param>
    /// <returns>The loss averaged over the samples.</returns>
    protected internal abstract T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Writes <c>dL/dZ</c> of the batch-mean loss into <paramref name="gradient"/> (so it carries the division by the
    /// batch size, and nothing downstream divides again) and returns the batch-mean loss. Same layout as
    /// <see cref="Value{T}"/>.
    /// </summary>
    /// <param name="output">The network's raw output.</param>
    /// <param name="target">The targets.</param>
    /// <param name="gradient">Receives dL/dZ.</param>
    /// <param name="rows">The number of samples.</param>
    /// <returns>The loss averaged over the samples.</returns>
    protected internal abstract T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes the predictions for raw outputs into <paramref name="result"/>, which may alias <paramref name="output"/>.</summary>
    internal void Transform<T>(ReadOnlySpan<T> output, Span<T> result, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        => OutputActivation.Forward(output, result, rows);

    private void Check<T>(Matrix<T> output, Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(output, nameof(output));
        ArgumentNullException.ThrowIfNull(target);
        Guard.SameShape(target, output.RowCount, output.ColumnCount, Name, nameof(target));
    }
}
