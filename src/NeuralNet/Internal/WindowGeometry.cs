using NeuralNet.Layers;

namespace NeuralNet.Internal;

/// <summary>
/// Where a square window (a convolution's kernel or a pooling window) visits an image: its size, stride and zero
/// padding, and the output shape that follows. Checked once, when the layer is made, with the shapes in the message.
/// </summary>
internal sealed class WindowGeometry
{
    public WindowGeometry(ImageShape input, int outputChannels, int kernel, int stride, int top, int bottom, int left, int right, string owner, string paramName)
    {
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Top = top;
        Left = left;
        int paddedHeight = input.Height + top + bottom;
        int paddedWidth = input.Width + left + right;
        if (kernel > paddedHeight || kernel > paddedWidth)
        {
            string padding = top + bottom + left + right == 0 ? string.Empty : $" padded to {paddedHeight}×{paddedWidth}";
            throw new ArgumentException($"{owner}'s {kernel}×{kernel} window does not fit its {input} input{padding}: the window must be at most as high and as wide as the input.", paramName);
        }

        Output = new ImageShape(outputChannels, ((paddedHeight - kernel) / stride) + 1, ((paddedWidth - kernel) / stride) + 1);
        DroppedRows = (paddedHeight - kernel) % stride;
        DroppedColumns = (paddedWidth - kernel) % stride;
    }

    public ImageShape Input { get; }

    public ImageShape Output { get; }

    public int Kernel { get; }

    public int Stride { get; }

    /// <summary>Zero rows above the image.</summary>
    public int Top { get; }

    /// <summary>Zero columns left of the image.</summary>
    public int Left { get; }

    /// <summary>Input rows (bottom) that no window reaches.</summary>
    public int DroppedRows { get; }

    /// <summary>Input columns (right) that no window reaches.</summary>
    public int DroppedColumns { get; }

    /// <summary>Output positions per channel.</summary>
    public int Positions => Output.Height * Output.Width;

    /// <summary>Values per input image.</summary>
    public int Pixels => Input.Height * Input.Width;

    /// <summary>Window values per input channel.</summary>
    public int WindowSize => Kernel * Kernel;

    /// <summary>
    /// The input row and column the window at output position (<paramref name="oh"/>, <paramref name="ow"/>) reads at
    /// its offset (<paramref name="kh"/>, <paramref name="kw"/>), or −1 when that falls in the padding.
    /// </summary>
    public int Pixel(int oh, int ow, int kh, int kw)
    {
        int ih = (oh * Stride) + kh - Top;
        int iw = (ow * Stride) + kw - Left;
        return ih >= 0 && ih < Input.Height && iw >= 0 && iw < Input.Width ? (ih * Input.Width) + iw : -1;
    }

    /// <summary>Refuses a pooling geometry that would leave input rows or columns out, unless that was asked for.</summary>
    public void CheckNothingDropped(bool dropEdges, string owner, string paramName)
    {
        if (!dropEdges && (DroppedRows > 0 || DroppedColumns > 0))
        {
            throw new ArgumentException(
                $"{owner} on a {Input} input gives {Output} but leaves the last {DroppedRows} row(s) and {DroppedColumns} column(s) out: the window {Kernel} with stride {Stride} must tile the input exactly; pass dropEdges: true to leave them out, or pad or crop the input first.",
                paramName);
        }
    }
}
