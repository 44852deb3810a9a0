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
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static NetworkBuilder<T> Sequential<T>(int inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(inputs);

    /// <summary>
    /// Starts a float32 network taking images of <paramref name="channels"/> × <paramref name="height"/> ×
    /// <paramref name="width"/>: each row holds one image in channel-major order, as PyTorch's <c>Flatten</c> lays out an
    /// NCHW tensor. The builder tracks the image shape through convolutions and pooling until <c>Flatten</c>.
    /// </summary>
    /// <param name="channels">The number of channels, positive.</param>
    /// <param name="height">The height in pixels, positive.</param>
    /// <param name="width">The width in pixels, positive.</param>
    /// <returns>A builder; add layers, then call <see cref="NetworkBuilder{T}.Build"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static NetworkBuilder<float> Sequential(int channels, int height, int width) => new(new Layers.ImageShape(channels, height, width));

    /// <summary>Starts a network of element type <typeparamref name="T"/> taking images: see <see cref="Sequential(int, int, int)"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="channels">The number of channels, positive.</param>
    /// <param name="height">The height in pixels, positive.</param>
    /// <param name="width">The width in pixels, positive.</param>
    /// <returns>A builder; add layers, then call <see cref="NetworkBuilder{T}.Build"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static NetworkBuilder<T> Sequential<T>(int channels, int height, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(new Layers.ImageShape(channels, height, width));

    /// <summary>Loads a network saved with <see cref="Network{T}.Save(string)"/>.</summary>
    /// <typeparam name="T">The precision it was saved in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The network; its predictions are bit-identical to the saved one's.</returns>
    /// <exception cref="Persistence.ModelFormatException">The file is not a valid model (non-finite weights included), has an unknown format version, holds the other precision, or names a component that is not registered.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static Network<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Persistence.ModelFile.Load<T>(path);

    /// <summary>Loads a network saved with <see cref="Network{T}.Save(Stream)"/>.</summary>
    /// <typeparam name="T">The precision it was saved in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="stream">The content; read to its end.</param>
    /// <returns>The network.</returns>
    /// <exception cref="Persistence.ModelFormatException">The content is not a valid model (non-finite weights, or fewer bytes than the stream's length promised, included), has an unknown format version, holds the other precision, or names a component that is not registered.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static Network<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Persistence.ModelFile.Load<T>(stream);
}
