using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// One stage of a feed-forward network: maps samples × <see cref="InputSize"/> to samples ×
/// <see cref="OutputSize"/>, owns its parameters and their gradients, and backpropagates.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Training goes <see cref="Forward"/> then <see cref="Backward"/>: forward keeps what backward needs,
/// backward adds <c>+dL/dθ</c> into each parameter's gradient and returns <c>dL/dX</c>. The matrices those
/// two return are buffers the layer owns and reuses on the next call with the same number of rows, so the
/// training step does not allocate; copy them to keep them.
/// </para>
/// <para>
/// Thread safety: <see cref="Infer"/> only reads the parameters and may run on many threads at once.
/// <see cref="Forward"/>, <see cref="Backward"/> and <see cref="ZeroGradients"/> change the layer's state and
/// must not run concurrently with each other or with an update of the parameters.
/// </para>
/// </remarks>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected Layer()
    {
    }

    /// <summary>The number of input columns (features) the layer takes.</summary>
    public abstract int InputSize { get; }

    /// <summary>The number of output columns (units) the layer produces.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The trainable parameters, each with its gradient.</summary>
    public abstract IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Computes the output for <paramref name="input"/> into a new matrix, without touching training state.</summary>
    /// <param name="input">Samples × <see cref="InputSize"/>.</param>
    /// <returns>Samples × <see cref="OutputSize"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> columns.</exception>
    public Matrix<T> Infer(Matrix<T> input)
    {
        CheckInput(input);
        Matrix<T> output = Storage.NewDense<T>(input.RowCount, OutputSize);
        InferCore(Storage.Dense(input), output);
        return output;
    }

    /// <summary>The training forward pass: computes the output and remembers what <see cref="Backward"/> needs.</summary>
    /// <param name="input">Samples × <see cref="InputSize"/>; it must stay unchanged until <see cref="Backward"/> has run.</param>
    /// <returns>Samples × <see cref="OutputSize"/>, a buffer owned by the layer.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> columns.</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        CheckInput(input);
        return ForwardCore(Storage.Dense(input));
    }

    /// <summary>
    /// The backward pass for the last <see cref="Forward"/>: adds <c>dL/dθ</c> into every parameter's gradient
    /// and returns <c>dL/dX</c>.
    /// </summary>
    /// <param name="outputGradient">dL/d(output), samples × <see cref="OutputSize"/>, for the same samples as the last forward pass.</param>
    /// <returns>dL/d(input), samples × <see cref="InputSize"/>, a buffer owned by the layer.</returns>
    /// <exception cref="InvalidOperationException">No forward pass has run.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputGradient"/> does not match the last forward pass's output shape.</exception>
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        int rows = LastBatchRows;
        if (rows == 0)
        {
            throw new InvalidOperationException($"{this}: Backward needs a Forward pass first.");
        }

        Guard.SameShape(outputGradient, rows, OutputSize, ToString() ?? GetType().Name, nameof(outputGradient));
        return BackwardCore(Storage.Dense(outputGradient), computeInputGradient: true)!;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter<T> parameter in Parameters)
        {
            parameter.ZeroGradient();
        }
    }

    /// <summary>Whether every value the last training forward pass produced is finite.</summary>
    internal virtual bool LastOutputIsFinite => true;

    /// <summary>The number of rows of the last forward pass, or 0 before any.</summary>
    internal abstract int LastBatchRows { get; }

    /// <summary>Writes the output for a dense, already checked input into <paramref name="output"/>.</summary>
    internal abstract void InferCore(Matrix<T> input, Matrix<T> output);

    /// <summary>The training forward pass on a dense, already checked input.</summary>
    internal abstract Matrix<T> ForwardCore(Matrix<T> input);

    /// <summary>
    /// The backward pass on a dense, already checked gradient; returns dL/dX, or null when
    /// <paramref name="computeInputGradient"/> is false (the first layer has no one to pass it to).
    /// </summary>
    internal abstract Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient);

    /// <summary>
    /// The backward pass fused with a plain gradient-descent step: returns dL/dX (computed with the weights before
    /// the step, or null when not wanted) and moves every parameter by <c>−η·dL/dθ</c> without storing the gradient.
    /// </summary>
    internal abstract Matrix<T>? BackwardAndDescendCore(Matrix<T> outputGradient, T learningRate, bool computeInputGradient);

    /// <summary>Draws fresh starting values for every parameter.</summary>
    internal abstract void Initialize(RandomSource random);

    private void CheckInput(Matrix<T> input)
    {
        Guard.NotEmpty(input, nameof(input));
        if (input.ColumnCount != InputSize)
        {
            throw new ArgumentException($"{this} expects {InputSize} input columns but got {input.RowCount}×{input.ColumnCount}.", nameof(input));
        }
    }
}
