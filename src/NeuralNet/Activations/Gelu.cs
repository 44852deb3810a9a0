using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Internal;

namespace NeuralNet.Activations;

/// <summary>
/// The Gaussian error linear unit, exact: <c>g(z) = z·Φ(z) = ½·z·(1 + erf(z/√2))</c>, with derivative
/// <c>Φ(z) + z·φ(z)</c>, where Φ and φ are the standard normal distribution and density (PyTorch's
/// <c>nn.GELU()</c>; <see cref="GeluTanh"/> is its tanh approximation).
/// </summary>
/// <remarks>
/// Φ is computed as <c>½·erfc(−z/√2)</c> in double whatever the element type, which keeps the lower tail's tiny
/// values where <c>1 + erf</c> would round them to 0 (PyTorch returns 0 there, within 1e-15 of this).
/// </remarks>
public sealed class Gelu : Activation
{
    internal Gelu()
    {
    }

    /// <summary>He uniform: GELU is a smoothed ReLU.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "gelu";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateTruncating(z[i]);
            a[i] = T.CreateTruncating(x * Elementary.NormalCdf(x));
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            double x = double.CreateTruncating(z[i]);

            // φ(x) underflows to 0 long before x·φ(x) could overflow, so the product is 0, not ∞·0, in the tails.
            double pdf = Elementary.NormalPdf(x);
            double slope = Elementary.NormalCdf(x) + (pdf == 0 ? 0 : x * pdf);
            dz[i] = da[i] * T.CreateTruncating(slope);
        }
    }
}
