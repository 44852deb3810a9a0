using System.Numerics;

namespace NeuralNet;

/// <summary>Entry points for building networks.</summary>
public static class Network
{
    /// <summary>Starts a float32 network taking <paramref name="inputs"/> features: float32 is the default precision.</summary>
    /// <param name="inputs">The number of input features, positive.</param>
    /// <returns>A builder; add layers, then call <see cref="NetworkBuilder{T}.Build"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is not positive.</exception>
    public static NetworkBuilder<float> Sequential(int inputs) => new(inputs);

    /// <summary>Starts a network of element type <typeparamref name="T"/> (float or double) taking <paramref name="inputs"/> features.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="inputs">The number of input features, positive.</param>
    /// <returns>A builder; add layers, then call <see cref="NetworkBuilder{T}.Build"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is not positive.</exception>
    public static NetworkBuilder<T> Sequential<T>(int inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(inputs);
}
