using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// One stage of a feed-forward network: maps samples × <see cref="InputSize"/> to samples ×
/// <see cref="OutputSize"/>, owns its parameters and their gradients, and backpropagates.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// A layer has two modes, and knows what each does. Inference (<see cref="Infer"/>; a network's <c>Predict</c>)
/// only reads the parameters. Training goes <see cref="Forward(Matrix{T})"/> then <see cref="Backward"/>: forward
/// keeps what backward needs (and may draw at random, as dropout does), backward adds <c>+dL/dθ</c> into each
/// parameter's gradient and returns <c>dL/dX</c>. The matrices those two return are buffers the layer owns and
/// reuses on the next call with the same number of rows, so the training step does not allocate; copy them to keep
/// them.
/// </para>
/// <para>
/// To add a layer type, derive from this class: <see cref="InferCore"/>, <see cref="ForwardCore"/> and
/// <see cref="BackwardCore"/> hold the arithmetic (shapes are checked before they are called), <see cref="Parameters"/>
/// lists what training updates, <see cref="Initialize"/> draws the starting values, and <see cref="Name"/> with
/// <see cref="GetConfig"/> say how to rebuild it; register it in <see cref="ComponentRegistry.Layers"/> so that
/// networks holding it save, load and pass the gradient check.
/// </para>
/// <para>
/// Thread safety: <see cref="Infer"/> only reads the parameters and may run on many threads at once.
/// <see cref="Forward(Matrix{T})"/>, <see cref="Backward"/> and <see cref="ZeroGradients"/> change the layer's state
/// and must not run concurrently with each other or with an update of the parameters.
/// </para>
/// </remarks>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _lastOutput;
    private int _lastRows;
    private TrainingContext? _ownContext;

    /// <summary>Creates the layer.</summary>
    protected Layer()
    {
    }

    /// <summary>The stable name its type is registered under, such as <c>dense</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The number of input columns (features) the layer takes.</summary>
    public abstract int InputSize { get; }

    /// <summary>The number of output columns (units) the layer produces.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The trainable parameters, each with its gradient; none by default.</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The activation the layer applies last, or null when it applies none (the default).</summary>
    public virtual Activation? Activation => null;

    /// <summary>
    /// What the registered factory needs to rebuild the layer with the same shapes (sizes, activation, initialisers);
    /// the parameters' values are saved separately, by parameter name. Empty by default.
    /// </summary>
    /// <returns>A new configuration.</returns>
    public virtual ComponentConfig GetConfig() => new();

    /// <summary>Whether every value the last training forward pass produced is finite.</summary>
    internal bool LastOutputIsFinite
    {
        get
        {
            if (_lastOutput is null)
            {
                return true;
            }

            foreach (T value in Storage.Of(_lastOutput))
            {
                if (!T.IsFinite(value))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Computes the output for <paramref name="input"/> in inference mode, into a new matrix, without touching training state.</summary>
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

    /// <summary>
    /// The training forward pass: computes the output and remembers what <see cref="Backward"/> needs. Whatever the
    /// layer draws at random comes from a generator the layer keeps, seeded 0.
    /// </summary>
    /// <param name="input">Samples × <see cref="InputSize"/>; it must stay unchanged until <see cref="Backward"/> has run.</param>
    /// <returns>Samples × <see cref="OutputSize"/>, a buffer owned by the layer.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> columns.</exception>
    public Matrix<T> Forward(Matrix<T> input) => Forward(input, _ownContext ??= new TrainingContext(new RandomSource(0)));

    /// <summary>The training forward pass, drawing from <paramref name="context"/>'s generator.</summary>
    /// <param name="input">Samples × <see cref="InputSize"/>; it must stay unchanged until <see cref="Backward"/> has run.</param>
    /// <param name="context">The training's context.</param>
    /// <returns>Samples × <see cref="OutputSize"/>, a buffer owned by the layer.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="InputSize"/> columns.</exception>
    public Matrix<T> Forward(Matrix<T> input, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckInput(input);
        return RunForward(Storage.Dense(input), context);
    }

    /// <summary>
    /// The backward pass for the last <see cref="Forward(Matrix{T})"/>: adds <c>dL/dθ</c> into every parameter's
    /// gradient and returns <c>dL/dX</c>.
    /// </summary>
    /// <param name="outputGradient">dL/d(output), samples × <see cref="OutputSize"/>, for the same samples as the last forward pass.</param>
    /// <returns>dL/d(input), samples × <see cref="InputSize"/>, a buffer owned by the layer.</returns>
    /// <exception cref="InvalidOperationException">No forward pass has run.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputGradient"/> does not match the last forward pass's output shape.</exception>
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_lastRows == 0)
        {
            throw new InvalidOperationException($"{this}: Backward needs a Forward pass first.");
        }

        Guard.SameShape(outputGradient, _lastRows, OutputSize, ToString() ?? Name, nameof(outputGradient));
        return BackwardCore(Storage.Dense(outputGradient), computeInputGradient: true)
            ?? throw new InvalidOperationException($"{this} returned no input gradient although one was asked for.");
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter<T> parameter in Parameters)
        {
            parameter.ZeroGradient();
        }
    }

    /// <summary>The layer's name and sizes, such as <c>dense(4→3)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name}({InputSize}→{OutputSize})";

    /// <summary>The training forward pass on a dense, already checked input, remembering its output for the divergence check.</summary>
    internal Matrix<T> RunForward(Matrix<T> input, TrainingContext context)
    {
        Matrix<T> output = ForwardCore(input, context);
        _lastOutput = output;
        _lastRows = input.RowCount;
        return output;
    }

    /// <summary>Writes the inference-mode output for <paramref name="input"/> into <paramref name="output"/>.</summary>
    /// <param name="input">A dense samples × <see cref="InputSize"/> matrix.</param>
    /// <param name="output">A dense samples × <see cref="OutputSize"/> matrix to fill.</param>
    /// <remarks>Must only read the layer's state: it runs on many threads at once.</remarks>
    protected internal abstract void InferCore(Matrix<T> input, Matrix<T> output);

    /// <summary>The training-mode forward pass: computes the output and keeps what <see cref="BackwardCore"/> needs.</summary>
    /// <param name="input">A dense samples × <see cref="InputSize"/> matrix that stays unchanged until the backward pass.</param>
    /// <param name="context">The training's generator, for layers that draw at random in training mode.</param>
    /// <returns>A dense samples × <see cref="OutputSize"/> buffer the layer owns.</returns>
    protected internal abstract Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context);

    /// <summary>
    /// The backward pass for the last <see cref="ForwardCore"/>: adds each parameter's <c>dL/dθ</c> through its
    /// <c>AddGradient…</c> methods and returns <c>dL/dX</c>, or null when <paramref name="computeInputGradient"/> is
    /// false (the first layer has no one to pass it to).
    /// </summary>
    /// <param name="outputGradient">A dense samples × <see cref="OutputSize"/> matrix, dL/d(output).</param>
    /// <param name="computeInputGradient">Whether dL/dX is wanted.</param>
    /// <returns>dL/dX, a dense samples × <see cref="InputSize"/> buffer the layer owns, or null.</returns>
    /// <remarks>
    /// Add a parameter's gradient only after the last read of that parameter's values in this pass: training may fuse
    /// the update into the addition, which then changes the values (see <see cref="Parameter{T}"/>).
    /// </remarks>
    protected internal abstract Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient);

    /// <summary>Draws fresh starting values for every parameter; the default draws nothing.</summary>
    /// <param name="random">The generator to draw from, in a fixed order, so that a seed gives the same values.</param>
    protected internal virtual void Initialize(RandomSource random)
    {
    }

    private void CheckInput(Matrix<T> input)
    {
        Guard.NotEmpty(input, nameof(input));
        if (input.ColumnCount != InputSize)
        {
            throw new ArgumentException($"{this} expects {InputSize} input columns but got {input.RowCount}×{input.ColumnCount}.", nameof(input));
        }
    }
}
