using System.Numerics;

namespace NeuralNet.Internal;

/// <summary>
/// <c>e^x − 1</c>, <c>log(1 + x)</c> and the normal distribution accurate where their textbook forms cancel: .NET's
/// generic <c>ExpM1</c> and <c>LogP1</c> are <c>Exp(x) − 1</c> and <c>Log(x + 1)</c>, which lose every digit for
/// tiny x, and <c>1 + erf(x)</c> loses them all in the lower tail.
/// </summary>
internal static class Elementary
{
    /// <summary>1/√2.</summary>
    public const double InverseSqrt2 = 0.70710678118654752440;

    /// <summary>1/√(2π), the standard normal density at 0.</summary>
    public const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <summary>
    /// <c>e^x − 1</c> (Kahan's correction): with <c>u = e^x</c> rounded, <c>(u − 1)·x / log u</c> cancels the rounding
    /// of u, so the result keeps full relative precision down to the smallest x.
    /// </summary>
    public static T ExpM1<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One)
        {
            return x;
        }

        T um1 = u - T.One;
        if (um1 == -T.One || T.IsInfinity(u))
        {
            return um1;
        }

        return um1 * x / T.Log(u);
    }

    /// <summary>
    /// <c>log(1 + x)</c> for x ≥ 0 (Goldberg's correction): the ratio <c>x / (u − 1)</c> with <c>u = 1 + x</c> cancels
    /// the rounding of u, so tiny x keep their digits.
    /// </summary>
    public static T Log1P<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.IsInfinity(u) ? T.Log(u) : T.Log(u) * x / (u - T.One);
    }

    /// <summary>The standard normal distribution function <c>Φ(x) = ½·erfc(−x/√2)</c>, accurate in both tails.</summary>
    public static double NormalCdf(double x) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x * InverseSqrt2);

    /// <summary>The standard normal density <c>φ(x) = e^(−x²/2)/√(2π)</c>.</summary>
    public static double NormalPdf(double x) => InverseSqrt2Pi * Math.Exp(-0.5 * x * x);
}
