using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout: in training mode each value is kept with probability <c>1 − p</c> and scaled by
/// <c>1 / (1 − p)</c>, or set to 0; in inference mode the layer is the identity.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Training mode: <c>Y = X ⊙ M</c> with <c>M_ij = 1 / (1 − p)</c> when a uniform draw <c>u_ij ∈ [0, 1)</c> is at least
/// <c>p</c>, else 0, so the expected output equals the input and inference needs no rescaling (as PyTorch's
/// <c>nn.Dropout</c>). Backward: <c>dX = dY ⊙ M</c>. The draws come from the training's
/// <see cref="TrainingContext.Random"/>, one per value in column-major order, so a seeded training repeats bit for bit
/// and a checkpoint (which saves the generator's state) resumes exactly.
/// </para>
/// <para>
/// It has no parameters. Registered as <c>dropout</c>, with the configuration <c>features</c> and <c>rate</c>; ONNX
/// export leaves it out of the inference graph.
/// </para>
/// </remarks>
public sealed class Dropout<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _features;
    private readonly T _keepScale;
    private readonly BufferCache<Buffers> _buffers;
    private Buffers? _last;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="features">The number of input (and output) features, positive.</param>
    /// <param name="rate">The probability p of dropping a value, in [0, 1); 0 makes the layer the identity in both modes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive, or <paramref name="rate"/> is not in [0, 1).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Dropout(int features, double rate)
    {
        Guard.Precision<T>();
        Guard.Positive(features, nameof(features));
        CheckRate(rate);
        _features = features;
        Rate = rate;
        _keepScale = T.CreateChecked(1.0 / (1.0 - rate));
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, features));
    }

    /// <summary>The probability of dropping a value in training mode.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override string Name => "dropout";

    /// <inheritdoc/>
    public override int InputSize => _features;

    /// <inheritdoc/>
    public override int OutputSize => _features;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("features", _features).Set("rate", Rate);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"Dropout({_features}, rate {Rate})");

    /// <summary>Refuses a rate outside [0, 1), naming it.</summary>
    internal static void CheckRate(double rate)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, FormattableString.Invariant($"The dropout rate must be in [0, 1), but got {rate}."));
        }
    }

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static Dropout<T> FromConfig(ComponentConfig config) => new(config.GetInt32("features"), config.GetDouble("rate"));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output) => Storage.Of(input).CopyTo(Storage.Of(output));

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers buffers = _buffers.Get(input.RowCount);
        Span<T> mask = Storage.Of(buffers.Mask);
        if (Rate == 0)
        {
            // Nothing is dropped: no draws, so adding a rate-0 dropout does not shift the rest of the run's draws.
            mask.Fill(T.One);
        }
        else
        {
            RandomSource random = context.Random;
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = random.NextDouble() < Rate ? T.Zero : _keepScale;
            }
        }

        TensorPrimitives.Multiply(Storage.Of(input), mask, Storage.Of(buffers.Output));
        _last = buffers;
        return buffers.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        Buffers buffers = _last!;
        TensorPrimitives.Multiply(Storage.Of(outputGradient), Storage.Of(buffers.Mask), Storage.Of(buffers.InputGradient));
        return buffers.InputGradient;
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, int features)
    {
        public Matrix<T> Mask { get; } = Storage.NewDense<T>(rows, features);

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, features);

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, features);
    }
}
