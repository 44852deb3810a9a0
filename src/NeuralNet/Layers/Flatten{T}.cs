using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Marks where images become flat features, as PyTorch's <c>nn.Flatten</c>: a sample's C × H × W values, already held in
/// channel-major order in its row, pass through unchanged and are from here on C·H·W features for dense layers.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Forward and backward return what they are given (the previous layer's output and the next layer's gradient), so it
/// costs nothing in training. It records the image shape, so that a saved network keeps where its images end. No
/// parameters. Registered as <c>flatten</c>, with the configuration <c>channels</c>, <c>height</c> and <c>width</c>.
/// </remarks>
public sealed class Flatten<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="input">The shape of each input image.</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> is the empty default shape.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Flatten(ImageShape input)
    {
        Guard.Precision<T>();
        if (input.Size == 0)
        {
            throw new ArgumentException("Flatten needs an input shape of positive channels, height and width, but got the empty default ImageShape.", nameof(input));
        }

        InputShape = input;
    }

    /// <summary>The shape of each input image.</summary>
    public ImageShape InputShape { get; }

    /// <inheritdoc/>
    public override string Name => "flatten";

    /// <inheritdoc/>
    public override int InputSize => InputShape.Size;

    /// <inheritdoc/>
    public override int OutputSize => InputShape.Size;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("channels", InputShape.Channels)
        .Set("height", InputShape.Height)
        .Set("width", InputShape.Width);

    /// <inheritdoc/>
    public override string ToString() => $"Flatten({InputShape}→{OutputSize})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static Flatten<T> FromConfig(ComponentConfig config)
        => new(new ImageShape(config.GetInt32("channels"), config.GetInt32("height"), config.GetInt32("width")));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output) => Storage.Of(input).CopyTo(Storage.Of(output), 0);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context) => input;

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
        => computeInputGradient ? outputGradient : null;
}
