using System.Numerics;

namespace NeuralNet.Internal;

/// <summary>Keeps update-rule state out of the subnormal range, where x86 arithmetic is many times slower.</summary>
/// <remarks>
/// A running average that decays toward zero (a momentum velocity, Adam's moments, RMSProp's mean square) of a
/// weight whose gradient stays zero, such as a weight from an always-blank MNIST border pixel or into a dead ReLU
/// unit, shrinks geometrically into the subnormal range and stays there: μ times the smallest subnormal rounds back
/// to it. Every later step then does subnormal arithmetic on it, which runs through a slow microcode path. A state
/// value that small moves no weight (the learning rate times 1e-38 vanishes next to any weight a network holds), so
/// setting it to zero changes nothing but the time.
/// </remarks>
internal static class Subnormal
{
    /// <summary><paramref name="value"/>, or zero when it is subnormal.</summary>
    public static T FlushToZero<T>(T value)
        where T : IFloatingPointIeee754<T> => T.IsSubnormal(value) ? T.Zero : value;
}
