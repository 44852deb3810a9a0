using System.Numerics;
using NeuralNet.Components;

namespace NeuralNet.Layers;

/// <summary>
/// Average pooling over square windows, as PyTorch's <c>nn.AvgPool2d</c>: each output value is the mean of its window,
/// channel by channel.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// <c>Y[c, oh, ow] = Σ_{kh,kw} X[c, oh·s + kh, ow·s + kw] / size²</c>; backward adds <c>dY / size²</c> to every input
/// value of the window. Input and output rows are samples holding an image in channel-major order (see
/// <see cref="ImageShape"/>); the output has the input's channels and <c>(H − size)/stride + 1</c> rows and as many
/// columns by the same rule. A window and stride that would leave the last input rows or columns out are refused
/// unless <c>dropEdges</c> is true (PyTorch leaves them out silently). No parameters.
/// </para>
/// <para>
/// Registered as <c>average_pool2d</c>, with the configuration <c>channels</c>, <c>height</c>, <c>width</c>, <c>size</c>,
/// <c>stride</c> and <c>drop_edges</c>.
/// </para>
/// </remarks>
public sealed class AveragePool2D<T> : Pool2D<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the pooling layer.</summary>
    /// <param name="input">The shape of each input image.</param>
    /// <param name="size">The window's height and width, positive, at most the input's.</param>
    /// <param name="stride">The step between windows; <paramref name="size"/> when null (windows side by side).</param>
    /// <param name="dropEdges">Whether input rows and columns that no window reaches may be left out; when false, such a shape is refused.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input, or leaves input rows or columns out without <paramref name="dropEdges"/> (the message names the shapes).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public AveragePool2D(ImageShape input, int size, int? stride = null, bool dropEdges = false)
        : base(input, size, stride, dropEdges, max: false, "AveragePool2D")
    {
    }

    /// <inheritdoc/>
    public override string Name => "average_pool2d";

    /// <summary>Rebuilds a layer from <see cref="Pool2D{T}.GetConfig"/>'s configuration (the registered factory).</summary>
    internal static AveragePool2D<T> FromConfig(ComponentConfig config)
    {
        (ImageShape input, int size, int stride, bool dropEdges) = ReadConfig(config);
        return new(input, size, stride, dropEdges);
    }
}
