using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet;

/// <content>The image layers: convolution and pooling, which track the image shape, and the layers that end it.</content>
public sealed partial class NetworkBuilder<T>
{
    /// <summary>
    /// The shape of the images the last layer added produces, or null once the network works on flat features (after
    /// <see cref="Flatten"/> or <see cref="GlobalAveragePool"/>, or when it was started with a feature count).
    /// </summary>
    public ImageShape? CurrentShape { get; private set; }

    /// <summary>Adds a 2-D convolution: see <see cref="Conv2D{T}"/>.</summary>
    /// <param name="filters">The number of filters (output channels), positive.</param>
    /// <param name="kernel">The kernel's height and width, positive, at most the padded input's.</param>
    /// <param name="activation">The activation, element-wise; identity when null.</param>
    /// <param name="stride">The step between windows, positive.</param>
    /// <param name="padding">The zero padding; <see cref="Padding.Valid"/> when null.</param>
    /// <param name="useBias">Whether to add a learnt bias per filter.</param>
    /// <param name="weightInitializer">The weight initialiser; the activation's default when null, drawn with fan-in channels·kernel².</param>
    /// <param name="biasInitializer">The bias initialiser; zeros when null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder holds flat features, not images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="filters"/>, <paramref name="kernel"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The kernel is larger than the padded input (the message names both shapes), or the activation is softmax.</exception>
    public NetworkBuilder<T> Conv2D(int filters, int kernel, Activation? activation = null, int stride = 1, Padding? padding = null, bool useBias = true, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        ImageShape input = Image(nameof(Conv2D));
        var layer = new Conv2D<T>(input, filters, kernel, stride, padding, activation, useBias, weightInitializer, biasInitializer);
        return AddImageLayer(() => new Conv2D<T>(input, filters, kernel, stride, padding, activation, useBias, weightInitializer, biasInitializer), layer.OutputShape);
    }

    /// <summary>Adds max pooling: see <see cref="MaxPool2D{T}"/>.</summary>
    /// <param name="size">The window's height and width, positive.</param>
    /// <param name="stride">The step between windows; <paramref name="size"/> when null.</param>
    /// <param name="dropEdges">Whether input rows and columns that no window reaches may be left out; when false, such a shape is refused.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder holds flat features, not images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input, or leaves rows or columns out without <paramref name="dropEdges"/> (the message names the shapes).</exception>
    public NetworkBuilder<T> MaxPool2D(int size, int? stride = null, bool dropEdges = false)
    {
        ImageShape input = Image(nameof(MaxPool2D));
        var layer = new MaxPool2D<T>(input, size, stride, dropEdges);
        return AddImageLayer(() => new MaxPool2D<T>(input, size, stride, dropEdges), layer.OutputShape);
    }

    /// <summary>Adds average pooling: see <see cref="AveragePool2D{T}"/>.</summary>
    /// <param name="size">The window's height and width, positive.</param>
    /// <param name="stride">The step between windows; <paramref name="size"/> when null.</param>
    /// <param name="dropEdges">Whether input rows and columns that no window reaches may be left out; when false, such a shape is refused.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder holds flat features, not images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input, or leaves rows or columns out without <paramref name="dropEdges"/> (the message names the shapes).</exception>
    public NetworkBuilder<T> AveragePool2D(int size, int? stride = null, bool dropEdges = false)
    {
        ImageShape input = Image(nameof(AveragePool2D));
        var layer = new AveragePool2D<T>(input, size, stride, dropEdges);
        return AddImageLayer(() => new AveragePool2D<T>(input, size, stride, dropEdges), layer.OutputShape);
    }

    /// <summary>Adds global average pooling, one mean per channel: see <see cref="GlobalAveragePool{T}"/>. The features are flat afterwards.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder holds flat features, not images.</exception>
    public NetworkBuilder<T> GlobalAveragePool()
    {
        ImageShape input = Image(nameof(GlobalAveragePool));
        _layers.Add(() => new GlobalAveragePool<T>(input));
        CurrentShape = null;
        CurrentSize = input.Channels;
        return this;
    }

    /// <summary>Ends the images: from here on a sample's channels × height × width values are flat features. See <see cref="Flatten{T}"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder holds flat features, not images.</exception>
    public NetworkBuilder<T> Flatten()
    {
        ImageShape input = Image(nameof(Flatten));
        _layers.Add(() => new Flatten<T>(input));
        CurrentShape = null;
        return this;
    }

    private ImageShape Image(string method) => CurrentShape
        ?? throw new InvalidOperationException($"{method} needs images, but the network holds {CurrentSize} flat features here: start with Network.Sequential(channels, height, width) and add {method} before Flatten.");

    private NetworkBuilder<T> AddImageLayer(Func<Layer<T>> create, ImageShape output)
    {
        _layers.Add(create);
        CurrentShape = output;
        CurrentSize = output.Size;
        return this;
    }
}
