using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet;

/// <summary>
/// A trainable tensor of a layer (weights or biases) together with the gradient of the loss
/// with respect to it. The layer owns both; backpropagation adds into <see cref="Gradient"/>,
/// an update rule reads it and changes <see cref="Value"/>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Update rules key their per-parameter state (momentum, Adam moments) by the parameter object
/// itself, so state follows the parameter whatever order the parameters are listed in.
/// </remarks>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Parameter(string name, int rows, int columns, bool decays)
    {
        Name = name;
        Decays = decays;
        Value = Storage.NewDense<T>(rows, columns);
        Gradient = Storage.NewDense<T>(rows, columns);
    }

    /// <summary>A name that says what the parameter is, such as <c>weights</c> or <c>biases</c>.</summary>
    public string Name { get; }

    /// <summary>The current values. Its shape is fixed when the layer is created.</summary>
    public Matrix<T> Value { get; }

    /// <summary>+dL/dθ accumulated by the last backward pass: same shape as <see cref="Value"/>.</summary>
    public Matrix<T> Gradient { get; }

    /// <summary>The number of scalar values.</summary>
    public int Length => Value.RowCount * Value.ColumnCount;

    /// <summary>Whether L2 weight decay applies (weights) or not (biases).</summary>
    internal bool Decays { get; }

    /// <summary>The values as a span over the matrix's own column-major storage.</summary>
    internal Span<T> Values => Storage.Of(Value);

    /// <summary>The gradient as a span over the matrix's own column-major storage.</summary>
    internal Span<T> Gradients => Storage.Of(Gradient);

    /// <summary>Sets every gradient entry to zero before a new backward pass.</summary>
    public void ZeroGradient() => Gradients.Clear();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Value.RowCount}×{Value.ColumnCount})";
}
