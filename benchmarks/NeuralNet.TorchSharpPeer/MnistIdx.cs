using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNet.TorchSharpPeer;

/// <summary>
/// Reads the MNIST IDX files (gzip or plain) exactly as the Python peers do (benchmarks/peers/common.py): magic
/// numbers and sizes checked, pixels scaled to [0, 1] by multiplying each byte by the float 1/255.
/// </summary>
internal static class MnistIdx
{
    private const int ImagesMagic = 2051;
    private const int LabelsMagic = 2049;

    /// <summary>The images (count × 784, row-major) and labels of the training (<paramref name="train"/>) or test set.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not the IDX file it should be, or images and labels disagree.</exception>
    public static (float[] Pixels, long[] Labels, int Count, int Features) Load(string directory, bool train)
    {
        string prefix = train ? "train" : "t10k";
        (float[] pixels, int count, int features) = ReadImages(Find(directory, $"{prefix}-images-idx3-ubyte"));
        long[] labels = ReadLabels(Find(directory, $"{prefix}-labels-idx1-ubyte"));
        if (labels.Length != count)
        {
            throw new InvalidDataException($"{prefix}: {count} images but {labels.Length} labels.");
        }

        return (pixels, labels, count, features);
    }

    private static string Find(string directory, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"Expected {name}[.gz] in {directory}, but there is none.");
    }

    private static byte[] Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static (float[] Pixels, int Count, int Features) ReadImages(string path)
    {
        byte[] raw = Read(path);
        if (raw.Length < 16)
        {
            throw new InvalidDataException($"{path}: {raw.Length} bytes, too short for an IDX images header (16 bytes).");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(raw);
        int count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(12));
        if (magic != ImagesMagic)
        {
            throw new InvalidDataException($"{path}: magic {magic}, expected {ImagesMagic}.");
        }

        long expected = (long)count * rows * columns;
        if (count < 0 || rows < 0 || columns < 0 || raw.Length - 16 != expected)
        {
            throw new InvalidDataException($"{path}: {raw.Length - 16} pixel bytes, expected {count} × {rows} × {columns} = {expected}.");
        }

        const float Scale = 1f / 255f;
        var pixels = new float[expected];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = raw[16 + i] * Scale;
        }

        return (pixels, count, rows * columns);
    }

    private static long[] ReadLabels(string path)
    {
        byte[] raw = Read(path);
        if (raw.Length < 8)
        {
            throw new InvalidDataException($"{path}: {raw.Length} bytes, too short for an IDX labels header (8 bytes).");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(raw);
        int count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        if (magic != LabelsMagic)
        {
            throw new InvalidDataException($"{path}: magic {magic}, expected {LabelsMagic}.");
        }

        if (raw.Length - 8 != count)
        {
            throw new InvalidDataException($"{path}: {raw.Length - 8} label bytes, expected {count}.");
        }

        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            byte label = raw[8 + i];
            labels[i] = label <= 9 ? label : throw new InvalidDataException($"{path}: label {label} at index {i}, expected 0 to 9.");
        }

        return labels;
    }
}
