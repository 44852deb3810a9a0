using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// An activation on its own, as Keras' <c>layers.Activation</c>: <c>Y = g(X)</c>, element by element (softmax across
/// each row), for a non-linearity that does not follow a dense layer directly, such as PyTorch's
/// <c>Linear → BatchNorm1d → ReLU</c> or <c>Linear → LayerNorm → GELU</c>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Forward: <c>y_ij = g(x_ij)</c> for the element-wise activations, <c>y_ij = e^(x_ij − max_k x_ik) / Σ_k e^(x_ik − max_k x_ik)</c>
/// for softmax. Backward, given <c>dY</c>: <c>dX = dY ⊙ g'(X)</c>, or for softmax the Jacobian–vector product per row
/// <c>dx_ij = y_ij (dy_ij − Σ_k y_ik dy_ik)</c>; these are the activation's own <c>Forward</c> and <c>Backward</c>, the
/// ones <see cref="Dense{T}"/> runs after its affine map, so <c>Dense(identity)</c> then this layer computes what
/// <c>Dense(g)</c> computes. Training and inference modes do the same.
/// </para>
/// <para>
/// It has no parameters. <see cref="Activation"/> reports the activation, so, as for a dense layer, a loss that works on
/// logits and applies its own output function (softmax cross-entropy, whose gradient is <c>P − Y</c>) refuses a
/// non-identity activation layer last. Registered as <c>activation</c>, with the configuration <c>features</c> and
/// <c>activation</c>; ONNX export writes the activation's node(s).
/// </para>
/// </remarks>
public sealed class ActivationLayer<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _features;
    private readonly Activation _activation;
    private readonly BufferCache<Buffers> _buffers;
    private Matrix<T>? _input;
    private Buffers? _last;

    /// <summary>Creates an activation layer.</summary>
    /// <param name="features">The number of input (and output) features, positive.</param>
    /// <param name="activation">The activation to apply, any registered one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public ActivationLayer(int features, Activation activation)
    {
        Guard.Precision<T>();
        Guard.Positive(features, nameof(features));
        ArgumentNullException.ThrowIfNull(activation);
        _features = features;
        _activation = activation;
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, features));
    }

    /// <summary>The activation the layer applies.</summary>
    public override Activation Activation => _activation;

    /// <inheritdoc/>
    public override string Name => "activation";

    /// <inheritdoc/>
    public override int InputSize => _features;

    /// <inheritdoc/>
    public override int OutputSize => _features;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("features", _features).Set("activation", _activation);

    /// <inheritdoc/>
    public override string ToString() => $"Activation({_features}, {_activation})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static ActivationLayer<T> FromConfig(ComponentConfig config) => new(config.GetInt32("features"), config.GetActivation("activation"));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
        => _activation.Forward<T>(Storage.Of(input), Storage.Of(output), input.RowCount);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers buffers = _buffers.Get(input.RowCount);
        _activation.Forward<T>(Storage.Of(input), Storage.Of(buffers.Output), input.RowCount);

        // The input is the pre-activation the backward pass needs; the layer contract keeps it unchanged until then.
        _input = input;
        _last = buffers;
        return buffers.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            // Nothing to train and nobody upstream to tell.
            return null;
        }

        Buffers buffers = _last!;
        _activation.Backward<T>(Storage.Of(_input!), Storage.Of(buffers.Output), Storage.Of(outputGradient), Storage.Of(buffers.InputGradient), buffers.Rows);
        return buffers.InputGradient;
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, int features)
    {
        public int Rows { get; } = rows;

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, features);

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, features);
    }
}
