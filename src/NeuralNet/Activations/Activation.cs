using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// A non-linearity applied to a layer's pre-activation <c>Z</c>, giving <c>A = g(Z)</c>. Without one,
/// stacked layers compose to a single linear map and can only draw flat decision boundaries.
/// </summary>
/// <remarks>
/// <para>
/// Built in: sigmoid, tanh, ReLU, leaky ReLU, ELU, SELU, GELU (exact and tanh), SiLU, softplus, identity and softmax. To add one, derive from this class (implement
/// <see cref="Forward{T}"/>, <see cref="Backward{T}"/> and <see cref="Name"/>, and <see cref="GetConfig"/> when it has
/// hyper-parameters) and register it in <see cref="ComponentRegistry.Activations"/> under its name; networks using
/// it then save, load and pass the health checks like any other. Instances must be immutable, so that they can be
/// shared between layers, networks and threads.
/// </para>
/// <para>All methods work on matrices whose rows are samples.</para>
/// </remarks>
public abstract class Activation
{
    /// <summary>Creates the activation; derived classes hold only immutable hyper-parameters.</summary>
    protected Activation()
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

    /// <summary>The exponential linear unit <c>z</c> for <c>z &gt; 0</c>, <c>α·(e^z − 1)</c> otherwise.</summary>
    /// <param name="alpha">α, the value <c>−α</c> negative inputs saturate at: a positive finite number. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not positive and finite.</exception>
    public static Elu Elu(double alpha = 1.0) => new(alpha);

    /// <summary>The scaled exponential linear unit <c>λ·z</c> for <c>z &gt; 0</c>, <c>λ·α·(e^z − 1)</c> otherwise, with PyTorch's constants.</summary>
    public static Selu Selu { get; } = new();

    /// <summary>The exact Gaussian error linear unit <c>z·Φ(z) = ½·z·(1 + erf(z/√2))</c>.</summary>
    public static Gelu Gelu { get; } = new();

    /// <summary>GELU's tanh approximation <c>½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))</c>.</summary>
    public static GeluTanh GeluTanh { get; } = new();

    /// <summary>The sigmoid linear unit (swish) <c>z·σ(z)</c>.</summary>
    public static Silu Silu { get; } = new();

    /// <summary>The softplus <c>log(1 + e^z)</c>, and <c>z</c> above 20.</summary>
    public static Softplus Softplus { get; } = new();

    /// <summary>The stable name it is registered under, such as <c>relu</c> or <c>leaky_relu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when <c>g(z) = z</c>, so a layer can skip the activation entirely.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>
    /// How a layer draws its weights before this activation when no initialiser is given: Glorot uniform, which keeps
    /// the variance of symmetric activations steady from layer to layer; the ReLU family says He uniform instead.
    /// </summary>
    public virtual Initializer DefaultWeightInitializer => Initializer.GlorotUniform;

    /// <summary>The hyper-parameters the registered factory needs to rebuild this activation; empty when it has none.</summary>
    /// <returns>A new configuration.</returns>
    public virtual ComponentConfig GetConfig() => new();

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

    /// <inheritdoc/>
    public override string ToString()
    {
        ComponentConfig config = GetConfig();
        return config.Count == 0 ? Name : $"{Name}({config})";
    }

    /// <summary>
    /// Computes <c>a = g(z)</c>. The spans hold a samples × units matrix column by column (one unit's values for
    /// every sample, then the next unit's), <paramref name="rows"/> samples long; they have the same length.
    /// <paramref name="a"/> may be <paramref name="z"/> itself (a layer computes in place), so read each input before
    /// writing the output that may overwrite it.
    /// </summary>
    /// <param name="z">The pre-activations.</param>
    /// <param name="a">Receives the activations.</param>
    /// <param name="rows">The number of samples.</param>
    protected internal abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Computes <c>dz</c> from <c>da</c>, given both <c>z</c> and <c>a = g(z)</c> so each function can use whichever
    /// makes its derivative cheapest. Same layout as <see cref="Forward{T}"/>; <paramref name="dz"/> may alias
    /// <paramref name="da"/>.
    /// </summary>
    /// <param name="z">The pre-activations of the forward pass.</param>
    /// <param name="a">The activations of the forward pass.</param>
    /// <param name="da">dL/dA.</param>
    /// <param name="dz">Receives dL/dZ.</param>
    /// <param name="rows">The number of samples.</param>
    protected internal abstract void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// How a unit fared on a batch, judged from its activations over every sample: <see cref="UnitState.Dead"/>
    /// when it passes no gradient for any sample, <see cref="UnitState.Saturated"/> when it sits within 1% of a bound
    /// of its output for every sample, so that its gradient nearly vanishes. Used by the health checks; the default
    /// says <see cref="UnitState.Active"/>.
    /// </summary>
    /// <param name="outputs">One unit's activations, one per sample.</param>
    /// <returns>The unit's state.</returns>
    protected internal virtual UnitState InspectUnit<T>(ReadOnlySpan<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UnitState.Active;
}
