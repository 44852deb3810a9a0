using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// The shape of one image sample: channels × height × width. A batch of images is a samples × <see cref="Size"/>
/// matrix whose row holds one image in channel-major order, <c>(c·Height + y)·Width + x</c>, exactly as PyTorch's
/// <c>Flatten</c> lays out an NCHW tensor.
/// </summary>
public readonly record struct ImageShape
{
    /// <summary>Creates a shape.</summary>
    /// <param name="channels">The number of channels (colour planes, or a convolution's filters), positive.</param>
    /// <param name="height">The height in pixels, positive.</param>
    /// <param name="width">The width in pixels, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the image holds more values than a dense matrix row can.</exception>
    public ImageShape(int channels, int height, int width)
    {
        Guard.Positive(channels, nameof(channels));
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Guard.MatrixSize((long)channels * height, width, $"An image of {channels}×{height}×{width}", nameof(width));
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of channels.</summary>
    public int Channels { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The number of values per image, <c>Channels·Height·Width</c>: the columns of a batch.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The shape as <c>channels×height×width</c>, such as <c>1×28×28</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
