using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// A non-linearity applied to a layer's pre-activation <c>Z</c>, giving <c>A = g(Z)</c>. Without one,
/// stacked layers compose to a single linear map and can only draw flat decision boundaries.
/// </summary>
/// <remarks>
/// The set is closed (sigmoid, tanh, ReLU, leaky ReLU, identity, softmax) so that a saved network
/// names its activations by a fixed identifier and never by a type to instantiate. Instances are
/// immutable and safe to share between layers, networks and threads.
/// All methods work on matrices whose rows are samples.
/// </remarks>
public abstract class Activation
{
    private protected Activation()
    {
    }

    /// <summary>The logistic function <c>1 / (1 + e^-z)</c>.</summary>
    public static Sigmoid Sigmoid { get; } = new();

    /// <summary>The hyperbolic tangent.</summary>
    public static Tanh Tanh { get; } = new();

    /// <summary>The rectified linear unit <c>max(0, z)</c>.</summary>
    public static Relu Relu { get; } = new();

    /// <summary>The identity <c>g(z) = z</c>, for linear layers and for outputs fed to a fused loss.</summary>
    public static Identity Identity { get; } = new();

    /// <summary>Softmax over each row: <c>e^(z_j) / Σ_k e^(z_k)</c>.</summary>
    public static Softmax Softmax { get; } = new();

    /// <summary>The leaky ReLU <c>z</c> for <c>z &gt; 0</c>, <c>slope·z</c> otherwise.</summary>
    /// <param name="slope">The slope for negative inputs, in [0, 1). Default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slope"/> is outside [0, 1).</exception>
    public static LeakyRelu LeakyRelu(double slope = 0.01) => new(slope);

    /// <summary>A short stable identifier, such as <c>relu</c> or <c>leaky_relu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when <c>g(z) = z</c>, so a layer can skip the activation entirely.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>Computes <c>A = g(Z)</c> into a new matrix.</summary>
    /// <param name="z">Pre-activations, samples × units.</param>
    /// <returns>The activations, samples × units.</returns>
    /// <exception cref="ArgumentException"><paramref name="z"/> is empty.</exception>
    public Matrix<T> Apply<T>(Matrix<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(z, nameof(z));
        Matrix<T> dense = Storage.Dense(z);
        Matrix<T> a = Storage.NewDense<T>(z.RowCount, z.ColumnCount);
        Forward<T>(Storage.Of(dense), Storage.Of(a), z.RowCount);
        return a;
    }

    /// <summary>
    /// Computes the gradient with respect to the pre-activation: <c>dL/dZ</c> from <c>dL/dA</c>.
    /// For element-wise functions this is <c>dL/dA ⊙ g'(Z)</c>; for softmax, the Jacobian–vector product per row.
    /// </summary>
    /// <param name="z">Pre-activations, samples × units.</param>
    /// <param name="outputGradient">dL/dA, samples × units.</param>
    /// <returns>dL/dZ, samples × units.</returns>
    /// <exception cref="ArgumentException">The matrices are empty or differ in shape.</exception>
    public Matrix<T> Derivative<T>(Matrix<T> z, Matrix<T> outputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(z, nameof(z));
        ArgumentNullException.ThrowIfNull(outputGradient);
        Guard.SameShape(outputGradient, z.RowCount, z.ColumnCount, $"{Name} activation", nameof(outputGradient));
        Matrix<T> a = Apply(z);
        Matrix<T> dz = Storage.NewDense<T>(z.RowCount, z.ColumnCount);
        Backward<T>(Storage.Of(Storage.Dense(z)), Storage.Of(a), Storage.Of(Storage.Dense(outputGradient)), Storage.Of(dz), z.RowCount);
        return dz;
    }

    /// <summary>Computes <c>a = g(z)</c> on column-major storage with <paramref name="rows"/> samples.</summary>
    internal abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Computes <c>dz</c> from <c>da</c>, given both <c>z</c> and <c>a = g(z)</c> so each function can use
    /// whichever makes its derivative cheapest. <paramref name="dz"/> may alias <paramref name="da"/>.
    /// </summary>
    internal abstract void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
