using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// A fully connected layer: <c>A = g(X·W + b)</c>, with weights W (inputs × outputs), biases b (1 × outputs)
/// and an activation g.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Backward, given <c>dA</c>: <c>dZ = dA ⊙ g'(Z)</c>, <c>dX = dZ·Wᵀ</c>, <c>dW += Xᵀ·dZ</c>, <c>db += Σ_rows dZ</c>
/// (dX first, while W is as the forward pass saw it, because a fused step changes W as its gradient is added).
/// No division by the batch size happens here: the loss's gradient already carries the <c>1/m</c>. Registered as
/// <c>dense</c>, with the configuration <c>inputs</c>, <c>units</c>, <c>activation</c>, <c>weight_initializer</c> and
/// <c>bias_initializer</c>.
/// </remarks>
public sealed class Dense<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<Buffers> _buffers;
    private Matrix<T>? _input;
    private Buffers? _last;
    private readonly Activation _activation;

    /// <summary>Creates a dense layer. Its parameters are drawn when a <see cref="Network{T}"/> is built around it.</summary>
    /// <param name="inputs">The number of input features, positive.</param>
    /// <param name="outputs">The number of units, positive.</param>
    /// <param name="activation">The activation; <see cref="Activation.Identity"/> when null.</param>
    /// <param name="weightInitializer">How to draw the weights; when null, the activation's <see cref="Activation.DefaultWeightInitializer"/> (He uniform for ReLU and leaky ReLU, Glorot uniform otherwise).</param>
    /// <param name="biasInitializer">How to draw the biases; <see cref="Initializer.Zeros"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is not positive, or the weights (inputs × outputs) are more values than a dense matrix holds.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Dense(int inputs, int outputs, Activation? activation = null, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        Guard.Precision<T>();
        Guard.Positive(inputs, nameof(inputs));
        Guard.Positive(outputs, nameof(outputs));
        Guard.MatrixSize(inputs, outputs, $"Dense({inputs}→{outputs})'s weights", nameof(outputs));
        _activation = activation ?? Activation.Identity;
        WeightInitializer = weightInitializer ?? _activation.DefaultWeightInitializer;
        BiasInitializer = biasInitializer ?? Initializer.Zeros;
        Weights = new Parameter<T>("weights", inputs, outputs, decays: true);
        Biases = new Parameter<T>("biases", 1, outputs, decays: false);
        _parameters = [Weights, Biases];
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, outputs, _activation.IsIdentity));
    }

    /// <summary>The weights W, inputs × outputs, and their gradient.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>The biases b, 1 × outputs, and their gradient.</summary>
    public Parameter<T> Biases { get; }

    /// <summary>The activation applied after the affine map.</summary>
    public override Activation Activation => _activation;

    /// <inheritdoc/>
    public override string Name => "dense";

    /// <summary>How the weights are drawn when the network is initialised.</summary>
    public Initializer WeightInitializer { get; }

    /// <summary>How the biases are drawn when the network is initialised.</summary>
    public Initializer BiasInitializer { get; }

    /// <inheritdoc/>
    public override int InputSize => Weights.Value.RowCount;

    /// <inheritdoc/>
    public override int OutputSize => Weights.Value.ColumnCount;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("inputs", InputSize)
        .Set("units", OutputSize)
        .Set("activation", Activation)
        .Set("weight_initializer", WeightInitializer)
        .Set("bias_initializer", BiasInitializer);

    /// <inheritdoc/>
    public override string ToString() => $"Dense({InputSize}→{OutputSize}, {Activation})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration, with zero parameters (the registered factory).</summary>
    internal static Dense<T> FromConfig(ComponentConfig config)
        => new(config.GetInt32("inputs"), config.GetInt32("units"), config.GetActivation("activation"), config.GetInitializer("weight_initializer"), config.GetInitializer("bias_initializer"));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
    {
        Affine(input, output);
        if (!_activation.IsIdentity)
        {
            Span<T> values = Storage.Of(output);
            _activation.Forward<T>(values, values, input.RowCount);
        }
    }

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers buffers = _buffers.Get(input.RowCount);
        Affine(input, buffers.Z);
        if (!_activation.IsIdentity)
        {
            _activation.Forward<T>(Storage.Of(buffers.Z), Storage.Of(buffers.A), input.RowCount);
        }

        _input = input;
        _last = buffers;
        return buffers.A;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        Buffers buffers = _last!;
        Matrix<T> dz = PreActivationGradient(outputGradient, buffers);

        // dX reads W as the forward pass used it, so it comes before W's gradient, which a fused step adds into W.
        Matrix<T>? dx = null;
        if (computeInputGradient)
        {
            dx = buffers.InputGradient(InputSize);
            MatrixProduct.Multiply(dz, transposeA: false, Weights.Value, transposeB: true, dx, accumulate: false);
        }

        Weights.AddGradientProduct(_input!, transposeA: true, dz, transposeB: false);
        Biases.AddGradientColumnSums(dz);
        return dx;
    }

    /// <summary>dL/dZ from dL/dA: the activation's backward pass, or dL/dA itself for the identity.</summary>
    private Matrix<T> PreActivationGradient(Matrix<T> outputGradient, Buffers buffers)
    {
        if (_activation.IsIdentity)
        {
            return outputGradient;
        }

        _activation.Backward<T>(Storage.Of(buffers.Z), Storage.Of(buffers.A), Storage.Of(outputGradient), Storage.Of(buffers.DZ!), buffers.Rows);
        return buffers.DZ!;
    }

    /// <inheritdoc/>
    protected internal override void Initialize(RandomSource random)
    {
        WeightInitializer.Fill<T>(Weights.Values, InputSize, OutputSize, random);
        BiasInitializer.Fill<T>(Biases.Values, InputSize, OutputSize, random);
    }

    /// <summary>Z = X·W + b, the bias added down each column (column-major keeps a column contiguous).</summary>
    private void Affine(Matrix<T> input, Matrix<T> z)
    {
        MatrixProduct.Multiply(input, transposeA: false, Weights.Value, transposeB: false, z, accumulate: false);
        Span<T> values = Storage.Of(z);
        ReadOnlySpan<T> biases = Biases.Values;
        int rows = input.RowCount;
        for (int j = 0; j < biases.Length; j++)
        {
            Span<T> column = values.Slice(j * rows, rows);
            TensorPrimitives.Add(column, biases[j], column);
        }
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers
    {
        private Matrix<T>? _dx;

        public Buffers(int rows, int outputs, bool identity)
        {
            Rows = rows;
            Z = Storage.NewDense<T>(rows, outputs);
            A = identity ? Z : Storage.NewDense<T>(rows, outputs);
            DZ = identity ? null : Storage.NewDense<T>(rows, outputs);
        }

        public int Rows { get; }

        public Matrix<T> Z { get; }

        public Matrix<T> A { get; }

        public Matrix<T>? DZ { get; }

        /// <summary>dL/dX, made at the first backward pass that asks for it: the first layer never does, and its input is the widest.</summary>
        public Matrix<T> InputGradient(int inputs) => _dx ??= Storage.NewDense<T>(Rows, inputs);
    }
}
