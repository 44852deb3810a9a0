using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// How a convolution pads its input with zeros: <see cref="Valid"/> (none), <see cref="Same"/> (enough that the output
/// is the input's size divided by the stride, rounded up) or <see cref="Explicit"/> rows and columns on each side.
/// </summary>
/// <remarks>
/// <see cref="Same"/> pads <c>total = max((out − 1)·stride + kernel − in, 0)</c> along each axis, <c>total/2</c> (rounded
/// down) before and the rest after, where <c>out = ⌈in/stride⌉</c>; with stride 1 this is PyTorch's
/// <c>padding='same'</c>, and with larger strides TensorFlow's <c>'SAME'</c>.
/// </remarks>
public sealed class Padding
{
    private Padding(string name, int rows, int columns)
    {
        Name = name;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>No padding: the kernel only visits positions where it fits whole.</summary>
    public static Padding Valid { get; } = new("valid", 0, 0);

    /// <summary>Pads so that the output is <c>⌈input/stride⌉</c> along each axis.</summary>
    public static Padding Same { get; } = new("same", 0, 0);

    /// <summary>The mode: <c>valid</c>, <c>same</c> or <c>explicit</c>.</summary>
    public string Name { get; }

    /// <summary>For <c>explicit</c> padding, the zero rows added above and below the image; 0 otherwise.</summary>
    public int Rows { get; }

    /// <summary>For <c>explicit</c> padding, the zero columns added left and right of the image; 0 otherwise.</summary>
    public int Columns { get; }

    /// <summary>Pads <paramref name="rows"/> zero rows above and below and <paramref name="columns"/> zero columns left and right, as PyTorch's <c>padding=(rows, columns)</c>.</summary>
    /// <param name="rows">Rows on each side, at least 0.</param>
    /// <param name="columns">Columns on each side, at least 0.</param>
    /// <returns>The padding.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static Padding Explicit(int rows, int columns)
    {
        Guard.InRange(rows, 0, int.MaxValue, nameof(rows), maxInclusive: true);
        Guard.InRange(columns, 0, int.MaxValue, nameof(columns), maxInclusive: true);
        return new Padding("explicit", rows, columns);
    }

    /// <summary>The padding named <paramref name="name"/> (as <see cref="Name"/>), with the explicit counts.</summary>
    /// <exception cref="ArgumentException">The name is not one of the three modes.</exception>
    internal static Padding FromName(string name, int rows, int columns) => name switch
    {
        "valid" => Valid,
        "same" => Same,
        "explicit" => Explicit(rows, columns),
        _ => throw new ArgumentException($"A padding is 'valid', 'same' or 'explicit', but got '{name}'.", nameof(name)),
    };

    /// <summary>The zeros before and after the input along one axis of <paramref name="size"/> values.</summary>
    internal (int Before, int After) Along(int size, int kernel, int stride, bool rows) => Name switch
    {
        "valid" => (0, 0),
        "explicit" => rows ? (Rows, Rows) : (Columns, Columns),
        _ => Split(Math.Max(((((size + stride - 1) / stride) - 1) * stride) + kernel - size, 0)),
    };

    /// <inheritdoc/>
    public override string ToString() => Name == "explicit" ? $"explicit({Rows}, {Columns})" : Name;

    private static (int Before, int After) Split(int total) => (total / 2, total - (total / 2));
}
