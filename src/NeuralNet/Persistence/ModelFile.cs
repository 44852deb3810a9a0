using System.Numerics;
using System.Reflection;
using System.Security.Cryptography;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Persistence;

/// <summary>
/// The NeuralNet model format (specified in ModelFormat.md beside this file): a header, the network section, an
/// optional training section (checkpoints), and a SHA-256 of everything before it. Version 3 is written; versions 1
/// to 3 are read. Components are rebuilt from their registered names; no type named in a file is ever instantiated.
/// </summary>
internal static class ModelFile
{
    /// <summary>The version written.</summary>
    public const int FormatVersion = 3;

    /// <summary>The oldest version read; every version from here to <see cref="FormatVersion"/> loads.</summary>
    public const int OldestFormatVersion = 1;

    public const byte ModelKind = 1;
    public const byte CheckpointKind = 2;
    private const int HashLength = 32;
    private const long MaxFileLength = int.MaxValue;
    private static readonly byte[] Magic = "NEURALNT"u8.ToArray();

    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Save<T>(string path, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(network);
        AtomicFile.Write(path, Encode(network, ModelKind, null));
    }

    public static void Save<T>(Stream stream, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        stream.Write(Encode(network, ModelKind, null));
    }

    public static Network<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Internal.Guard.Precision<T>();
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream);
    }

    public static Network<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Internal.Guard.Precision<T>();
        ModelReader reader = Open(stream, out byte kind);
        Network<T> network = ReadNetwork<T>(reader);
        if (kind == ModelKind)
        {
            // A checkpoint holds a whole network too; loading it as a model simply ignores the training section.
            End(reader);
        }

        return network;
    }

    /// <summary>Encodes a network, with <paramref name="trailing"/> writing a checkpoint's training section.</summary>
    public static byte[] Encode<T>(Network<T> network, byte kind, Action<ModelWriter>? trailing)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var writer = new ModelWriter();
        foreach (byte b in Magic)
        {
            writer.Byte(b);
        }

        writer.Int32(FormatVersion);
        writer.Byte(kind);
        writer.Text(LibraryVersion);
        writer.Byte((byte)System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        NetworkCodec.Write(writer, network);
        trailing?.Invoke(writer);
        byte[] body = writer.ToArray();
        byte[] file = new byte[body.Length + HashLength];
        body.CopyTo(file, 0);
        SHA256.HashData(body, file.AsSpan(body.Length));
        return file;
    }

    /// <summary>
    /// Reads the whole stream, checks the magic number, the version and the hash, reads the header, and returns a
    /// reader after it with <see cref="ModelReader.FormatVersion"/> set.
    /// </summary>
    public static ModelReader Open(Stream stream, out byte kind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] data = ReadAll(stream, out int length);
        if (length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException($"Expected a NeuralNet model file starting with 'NEURALNT', but the content ({length} bytes) does not.");
        }

        if (length < Magic.Length + sizeof(int) + HashLength)
        {
            throw new ModelFormatException($"Expected a NeuralNet model file of at least {Magic.Length + sizeof(int) + HashLength} bytes (magic, format version, SHA-256), but the content has {length}; it is truncated.");
        }

        int bodyLength = length - HashLength;
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(data.AsSpan(0, bodyLength), hash);
        var reader = new ModelReader(data, bodyLength);
        reader.Values<double>(1, "magic");
        int version = reader.Int32();
        if (version is < OldestFormatVersion or > FormatVersion)
        {
            throw new ModelFormatException($"Expected model format version {OldestFormatVersion} to {FormatVersion}, but the file has version {version}; it was written by a newer NeuralNet, or is not a model file.");
        }

        if (!hash.SequenceEqual(data.AsSpan(bodyLength, HashLength)))
        {
            throw new ModelFormatException("The model file is corrupt: its SHA-256 checksum does not match its content.");
        }

        reader.FormatVersion = version;
        kind = reader.Byte();
        if (kind is not ModelKind and not CheckpointKind)
        {
            throw reader.Corrupt($"expected kind 1 (model) or 2 (checkpoint), but found {kind}");
        }

        reader.Text("library version");
        return reader;
    }

    /// <summary>Reads the precision byte and the network section of the file's version.</summary>
    public static Network<T> ReadNetwork<T>(ModelReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = reader.Byte();
        int expected = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (size != expected)
        {
            throw new ModelFormatException($"The file holds float{size * 8} weights, but they were asked for as {typeof(T).Name} (float{expected * 8}); load it with that precision.");
        }

        return reader.FormatVersion == 1 ? NetworkCodecV1.Read<T>(reader) : NetworkCodec.Read<T>(reader);
    }

    /// <summary>Stacks loaded layers under their loss; a combination that is not a valid network is a format error.</summary>
    public static Network<T> Assemble<T>(List<Layer<T>> layers, Loss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return new Network<T>(layers, loss);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"The model file describes an invalid network: {e.Message}", e);
        }
    }

    /// <summary>Checks that nothing follows the last section.</summary>
    public static void End(ModelReader reader)
    {
        if (reader.Remaining != 0)
        {
            throw reader.Corrupt($"expected the end of the content, but {reader.Remaining} bytes follow");
        }
    }

    private static byte[] ReadAll(Stream stream, out int length)
    {
        if (stream.CanSeek)
        {
            // The content's own length sizes the buffer: nothing is allocated for sizes the content merely claims.
            long remaining = stream.Length - stream.Position;
            if (remaining > MaxFileLength)
            {
                throw new ModelFormatException($"Expected a model file of at most {MaxFileLength} bytes, but the content has {remaining}.");
            }

            byte[] content = new byte[remaining];
            int delivered = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            if (delivered < content.Length)
            {
                throw new ModelFormatException($"The stream ended after {delivered} of the {remaining} bytes its length promised; the content is truncated.");
            }

            length = content.Length;
            return content;
        }

        var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxFileLength)
            {
                throw new ModelFormatException($"Expected a model file of at most {MaxFileLength} bytes, but the content is longer.");
            }

            buffer.Write(chunk, 0, read);
        }

        length = (int)buffer.Length;
        return buffer.GetBuffer();
    }
}
