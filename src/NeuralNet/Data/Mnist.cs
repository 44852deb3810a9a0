using System.Numerics;
using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// Reads MNIST-style data in the IDX format: an images file (magic 2051, count × rows × columns bytes) and a
/// labels file (magic 2049, count bytes), raw or gzip-compressed. Pixels are scaled to [0, 1].
/// </summary>
/// <remarks>
/// <para>
/// Every size field is checked against the bytes the file can hold before anything is allocated for it, so a
/// truncated, padded or inconsistent file throws <see cref="DataFormatException"/> rather than reading out of range.
/// A raw file holds what is left after its header. A gzip file may inflate to at most 32 times its own size, or
/// 1 MiB when that is more: real IDX data inflates about 2-fold (labels) to 5-fold (MNIST images), while a header
/// that claims more than the ratio allows, or content that deflated further, is refused before it is inflated, so a
/// small file cannot make a load allocate more than a small multiple of its size. The allowance of 1 MiB admits small
/// files that compress well, such as labels sorted by class.
/// </para>
/// <para>
/// A gzip file must be one gzip member whose trailer (CRC-32 and length) matches the inflated data and ends the file.
/// </para>
/// </remarks>
public static class Mnist
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>How many times its own size a gzip file may inflate to.</summary>
    private const long MaxInflation = 32;

    /// <summary>What any gzip file may inflate to, however small it is.</summary>
    private const long InflationAllowance = 1 << 20;

    /// <summary>
    /// Loads the training or test part from a directory holding the standard file names
    /// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
    /// <c>t10k-labels-idx1-ubyte</c>), each optionally ending in <c>.gz</c>.
    /// </summary>
    /// <param name="directory">The directory.</param>
    /// <param name="train">True for the training files, false for the test files.</param>
    /// <returns>A 10-class dataset of count × (rows·columns) pixels in [0, 1].</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed (see <see cref="ReadImages"/>), or the two files disagree on the count.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Load<T>(string directory, bool train)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string prefix = train ? "train" : "t10k";
        return Load<T>(Find(directory, $"{prefix}-images-idx3-ubyte"), Find(directory, $"{prefix}-labels-idx1-ubyte"));
    }

    /// <summary>Loads an images file and a labels file into a 10-class dataset with pixels scaled to [0, 1].</summary>
    /// <param name="imagesPath">The IDX images file, raw or gzip.</param>
    /// <param name="labelsPath">The IDX labels file, raw or gzip.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DataFormatException">A file is malformed (see <see cref="ReadImages"/>), a label is above 9, or the files disagree on the count.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double (checked first).</exception>
    public static Dataset<T> Load<T>(string imagesPath, string labelsPath)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();

        // The pixels go from the (inflating) stream straight into the samples, a chunk at a time, rather than through
        // an array of every pixel; they stay sample by sample, as training reads them (see Dataset<T>.Features).
        T[] samples;
        int count;
        int features;
        using (Stream stream = Open(imagesPath))
        {
            (count, int rows, int columns, long length) = ReadImagesHeader(stream, imagesPath);
            features = rows * columns;
            CheckBodyLength(stream, length, imagesPath);
            Guard.MatrixSize(count, features, "The images", nameof(imagesPath));
            samples = new T[length];
            T scale = T.One / T.CreateChecked(255);
            ReadBody(stream, length, imagesPath, (chunk, offset) =>
            {
                Span<T> to = samples.AsSpan((int)offset, chunk.Length);
                for (int p = 0; p < chunk.Length; p++)
                {
                    to[p] = T.CreateChecked(chunk[p]) * scale;
                }
            });
        }

        byte[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new DataFormatException($"Expected as many labels as images, but '{imagesPath}' holds {count} images and '{labelsPath}' {labels.Length} labels.");
        }

        int[] classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (labels[i] > 9)
            {
                throw new DataFormatException($"Expected digit labels 0-9 in '{labelsPath}', but label {i} is {labels[i]}.");
            }

            classes[i] = labels[i];
        }

        return new Dataset<T>(samples, count, features, OneHot.Encode<T>(classes, 10), classes, 10, null);
    }

    /// <summary>Reads an IDX images file (magic 2051).</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <returns>The image count, rows, columns and the pixels, image after image, row-major.</returns>
    /// <exception cref="DataFormatException">The magic number, dimensions or length are wrong, a gzip file announces more than it may inflate to, or its trailer does not match its content.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        using Stream stream = Open(path);
        (int count, int rows, int columns, long length) = ReadImagesHeader(stream, path);
        return (count, rows, columns, ReadBody(stream, length, path));
    }

    /// <summary>Reads and checks an images file's header: the magic number, the dimensions, and the body's length.</summary>
    private static (int Count, int Rows, int Columns, long Length) ReadImagesHeader(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, header, path);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != ImagesMagic)
        {
            throw new DataFormatException($"'{path}': expected the IDX images magic number 2051 (0x00000803), but got {magic} (0x{magic:X8}).");
        }

        int count = Dimension(header[4..], "image count", path);
        int rows = Dimension(header[8..], "rows", path);
        int columns = Dimension(header[12..], "columns", path);
        // Each factor is below 2^31, so neither product overflows a long.
        long pixels = (long)rows * columns;
        long length = pixels * count;
        if (pixels > Array.MaxLength || length > Array.MaxLength)
        {
            throw new DataFormatException($"'{path}': {count} images of {rows}×{columns} need {length} bytes, more than one array holds.");
        }

        return (count, rows, columns, length);
    }

    /// <summary>Reads an IDX labels file (magic 2049).</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <returns>The labels.</returns>
    /// <exception cref="DataFormatException">The magic number or length is wrong, a gzip file announces more than it may inflate to, or its trailer does not match its content.</exception>
    public static byte[] ReadLabels(string path)
    {
        using Stream stream = Open(path);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, header, path);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != LabelsMagic)
        {
            throw new DataFormatException($"'{path}': expected the IDX labels magic number 2049 (0x00000801), but got {magic} (0x{magic:X8}).");
        }

        return ReadBody(stream, Dimension(header[4..], "label count", path), path);
    }

    private static string Find(string directory, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"Expected '{name}' or '{name}.gz' in '{directory}', but neither exists.", Path.Combine(directory, name));
    }

    /// <summary>Opens the file, decompressing (and checking the gzip trailer) when it starts with the gzip signature.</summary>
    private static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            Span<byte> signature = stackalloc byte[2];
            int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && signature[0] == 0x1f && signature[1] == 0x8b ? CheckedGzipStream.Open(file, path) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void ReadHeader(Stream stream, Span<byte> header, string path)
    {
        int read = Read(stream, header, path);
        if (read < header.Length)
        {
            throw new DataFormatException($"'{path}': expected an IDX header of {header.Length} bytes, but the file holds only {read}.");
        }
    }

    private static int Dimension(ReadOnlySpan<byte> field, string name, string path)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(field);
        return value > 0 ? value : throw new DataFormatException($"'{path}': expected a positive {name}, but the header says {value}.");
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes and checks nothing follows. The length is checked first (see
    /// <see cref="CheckBodyLength"/>), and only then is the body allocated, once and at its exact size.
    /// </summary>
    private static byte[] ReadBody(Stream stream, long length, string path)
    {
        byte[]? body = null;
        ReadBody(stream, length, path, (chunk, offset) =>
        {
            body ??= new byte[length];
            chunk.CopyTo(body.AsSpan((int)offset));
        });
        return body ?? [];
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes, handing them to <paramref name="consume"/> chunk by chunk with
    /// their offset, and checks nothing follows. The length is checked first (see <see cref="CheckBodyLength"/>).
    /// </summary>
    private static void ReadBody(Stream stream, long length, string path, System.Buffers.ReadOnlySpanAction<byte, long> consume)
    {
        CheckBodyLength(stream, length, path);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long done = 0;
            while (done < length)
            {
                int read = Read(stream, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), path);
                if (read == 0)
                {
                    throw new DataFormatException($"'{path}': the header announces {length} data bytes, but the file ends after {done}.");
                }

                consume(buffer.AsSpan(0, read), done);
                done += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> next = stackalloc byte[1];
        if (Read(stream, next, path) != 0)
        {
            throw new DataFormatException($"'{path}': the header announces {length} data bytes, but more data follows.");
        }
    }

    /// <summary>
    /// Checks a body's announced length against what the file can hold (a raw file's remaining bytes; for gzip, the
    /// stated inflation of its size) before anything is allocated for it.
    /// </summary>
    private static void CheckBodyLength(Stream stream, long length, string path)
    {
        if (stream is CheckedGzipStream gzip)
        {
            long most = Math.Max(gzip.CompressedLength * MaxInflation, InflationAllowance);
            if (length > most)
            {
                throw new DataFormatException($"'{path}': the header announces {length} data bytes, but a gzip file of {gzip.CompressedLength} bytes may inflate to at most {most} ({MaxInflation} times its size, or 1 MiB).");
            }
        }
        else if (length > stream.Length - stream.Position)
        {
            throw new DataFormatException($"'{path}': the header announces {length} data bytes, but the file ends after {stream.Length - stream.Position}.");
        }

        if (length > Array.MaxLength)
        {
            // Only a file of gigabytes gets here; the header checks of ReadImages cover images already.
            throw new DataFormatException($"'{path}': the header announces {length} data bytes, more than one array holds.");
        }
    }

    private static int Read(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"'{path}': the gzip data is corrupt ({e.Message}).", e);
        }
    }
}
