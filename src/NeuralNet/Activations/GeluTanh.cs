using System.Numerics;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>
/// The tanh approximation of GELU: <c>g(z) = ½·z·(1 + tanh(u))</c> with <c>u = √(2/π)·(z + 0.044715·z³)</c>, and
/// derivative <c>½·(1 + tanh u) + ½·z·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·z²)</c> (PyTorch's
/// <c>nn.GELU(approximate='tanh')</c>, GPT-2's and BERT's GELU).
/// </summary>
/// <remarks>
/// It is computed through the identity <c>½·(1 + tanh u) = σ(2u)</c>, the logistic function, which keeps the tiny
/// values of the lower tail that <c>1 + tanh u</c> rounds to 0. It differs from the exact <see cref="Gelu"/> by less
/// than 5e-4.
/// </remarks>
public sealed class GeluTanh : Activation
{
    /// <summary>√(2/π).</summary>
    private const double Beta = 0.79788456080286535588;

    /// <summary>The cubic coefficient of the approximation.</summary>
    private const double Kappa = 0.044715;

    internal GeluTanh()
    {
    }

    /// <summary>He uniform: GELU is a smoothed ReLU.</summary>
    public override Initializer DefaultWeightInitializer => Initializer.HeUniform;

    /// <inheritdoc/>
    public override string Name => "gelu_tanh";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateTruncating(z[i]);
            a[i] = T.CreateTruncating(x * HalfOnePlusTanh(x));
        }
    }

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            double x = double.CreateTruncating(z[i]);
            double s = HalfOnePlusTanh(x);

            // d/dx σ(2u) = 2·σ(1 − σ)·u'; σ(1 − σ) reaches 0 before x·u' overflows, so the product is taken only when it is not 0.
            double spread = s * (1 - s);
            double slope = spread == 0 ? s : s + (x * spread * 2 * Beta * (1 + (3 * Kappa * x * x)));
            dz[i] = da[i] * T.CreateTruncating(slope);
        }
    }

    /// <summary><c>½·(1 + tanh u) = σ(2u) = 1 / (1 + e^(−2u))</c>.</summary>
    private static double HalfOnePlusTanh(double x)
    {
        double u = Beta * (x + (Kappa * x * x * x));
        return 1 / (1 + Math.Exp(-2 * u));
    }
}
