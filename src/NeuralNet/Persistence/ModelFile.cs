using System.Numerics;
using System.Reflection;
using System.Security.Cryptography;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Persistence;

/// <summary>
/// The NeuralNet model format, version 1 (specified in docs/model-format.md): a header, the architecture with
/// its weights, an optional training section (checkpoints), and a SHA-256 of everything before it.
/// Components are named by fixed identifiers and rebuilt from a closed list; no type named in a file is
/// ever instantiated.
/// </summary>
internal static class ModelFile
{
    public const int FormatVersion = 1;
    public const byte ModelKind = 1;
    public const byte CheckpointKind = 2;
    public const int MaxLayers = 1024;
    public const int MaxUnits = 1 << 24;
    private const int HashLength = 32;
    private const long MaxFileLength = int.MaxValue;
    private static readonly byte[] Magic = "NEURALNT"u8.ToArray();

    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Save<T>(string path, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        WriteAtomically(path, Encode(network, ModelKind, null));
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
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream);
    }

    public static Network<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelReader reader = Open(stream, out byte kind);
        Network<T> network = ReadNetwork<T>(reader);
        if (kind != ModelKind)
        {
            // A checkpoint holds a whole network too; loading it as a model simply ignores the training section.
            return network;
        }

        End(reader);
        return network;
    }

    /// <summary>Encodes a network, with <paramref name="training"/> writing a checkpoint's training section.</summary>
    public static byte[] Encode<T>(Network<T> network, byte kind, Action<ModelWriter>? training)
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
        writer.Text(network.Loss.Name);
        writer.Int32(network.Layers.Count);
        foreach (Layer<T> layer in network.Layers)
        {
            if (layer is not Dense<T> dense)
            {
                throw new NotSupportedException($"Saving supports dense layers only, but the network has {layer}.");
            }

            writer.Text("dense");
            writer.Int32(dense.InputSize);
            writer.Int32(dense.OutputSize);
            writer.Text(dense.Activation.Name);
            writer.Double(dense.Activation is LeakyRelu leaky ? leaky.Slope : 0);
            WriteInitializer(writer, dense.WeightInitializer);
            WriteInitializer(writer, dense.BiasInitializer);
            writer.Values<T>(dense.Weights.Values);
            writer.Values<T>(dense.Biases.Values);
        }

        training?.Invoke(writer);
        byte[] body = writer.ToArray();
        byte[] file = new byte[body.Length + HashLength];
        body.CopyTo(file, 0);
        SHA256.HashData(body, file.AsSpan(body.Length));
        return file;
    }

    /// <summary>Reads the whole stream, checks the hash and the header, and returns a reader after the header.</summary>
    public static ModelReader Open(Stream stream, out byte kind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] data = ReadAll(stream, out int length);
        if (length < Magic.Length + HashLength || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException($"Expected a NeuralNet model file starting with 'NEURALNT', but the content ({length} bytes) does not.");
        }

        int bodyLength = length - HashLength;
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(data.AsSpan(0, bodyLength), hash);
        var reader = new ModelReader(data, bodyLength);
        reader.Values<double>(1, "magic");
        int version = reader.Int32();
        if (version != FormatVersion)
        {
            throw new ModelFormatException($"Expected model format version {FormatVersion}, but the file has version {version}; it was written by a different NeuralNet version.");
        }

        if (!hash.SequenceEqual(data.AsSpan(bodyLength, HashLength)))
        {
            throw new ModelFormatException("The model file is corrupt: its SHA-256 checksum does not match its content.");
        }

        kind = reader.Byte();
        if (kind is not ModelKind and not CheckpointKind)
        {
            throw reader.Corrupt($"expected kind 1 (model) or 2 (checkpoint), but found {kind}");
        }

        reader.Text("library version");
        return reader;
    }

    public static Network<T> ReadNetwork<T>(ModelReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = reader.Byte();
        int expected = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (size != expected)
        {
            throw new ModelFormatException($"The file holds float{size * 8} weights, but they were asked for as {typeof(T).Name} (float{expected * 8}); load it with that precision.");
        }

        Loss loss = reader.Text("loss") switch
        {
            "mean_squared_error" => Loss.MeanSquaredError,
            "softmax_cross_entropy" => Loss.SoftmaxCrossEntropy,
            "sigmoid_binary_cross_entropy" => Loss.SigmoidBinaryCrossEntropy,
            string other => throw reader.Corrupt($"expected a known loss, but found '{other}'"),
        };

        int count = reader.Int32("the layer count", 1, MaxLayers);
        var layers = new List<Layer<T>>(Math.Min(count, 64));
        for (int l = 0; l < count; l++)
        {
            string type = reader.Text("layer type");
            if (type != "dense")
            {
                throw reader.Corrupt($"expected layer type 'dense', but found '{type}'");
            }

            int inputs = reader.Int32("a layer's input count", 1, MaxUnits);
            int outputs = reader.Int32("a layer's output count", 1, MaxUnits);
            Activation activation = ReadActivation(reader);
            Initializer weightInitializer = ReadInitializer(reader);
            Initializer biasInitializer = ReadInitializer(reader);
            T[] weights = reader.Values<T>((long)inputs * outputs, $"layer {l}'s weights");
            T[] biases = reader.Values<T>(outputs, $"layer {l}'s biases");
            var dense = new Dense<T>(inputs, outputs, activation, weightInitializer, biasInitializer);
            weights.CopyTo(dense.Weights.Values);
            biases.CopyTo(dense.Biases.Values);
            layers.Add(dense);
        }

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

    /// <summary>
    /// Writes beside the target, flushes to disk, then renames over it: the old file stays whole until the new
    /// one is complete, so a failed or interrupted save never leaves a half-written file in its place.
    /// </summary>
    public static void WriteAtomically(string path, byte[] content) => WriteAtomically(path, content, OpenTemporary);

    /// <summary>
    /// <see cref="WriteAtomically(string, byte[])"/> with the temporary file opened by <paramref name="open"/>, so that
    /// tests can make the write fail at any byte.
    /// </summary>
    internal static void WriteAtomically(string path, byte[] content, Func<string, Stream> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (Stream file = open(temporary))
            {
                file.Write(content);
                if (file is FileStream disk)
                {
                    disk.Flush(flushToDisk: true);
                }
                else
                {
                    file.Flush();
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static Stream OpenTemporary(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);

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
            stream.ReadExactly(content);
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

    private static Activation ReadActivation(ModelReader reader)
    {
        string name = reader.Text("activation");
        double parameter = reader.Double();
        return name switch
        {
            "identity" => Activation.Identity,
            "sigmoid" => Activation.Sigmoid,
            "tanh" => Activation.Tanh,
            "relu" => Activation.Relu,
            "softmax" => Activation.Softmax,
            "leaky_relu" when parameter >= 0 && parameter < 1 => Activation.LeakyRelu(parameter),
            "leaky_relu" => throw reader.Corrupt($"expected a leaky ReLU slope in [0, 1), but found {parameter}"),
            _ => throw reader.Corrupt($"expected a known activation, but found '{name}'"),
        };
    }

    private static void WriteInitializer(ModelWriter writer, Initializer initializer)
    {
        writer.Text(initializer.Name);
        writer.Double(initializer is RandomNormal normal ? normal.StandardDeviation : 0);
    }

    private static Initializer ReadInitializer(ModelReader reader)
    {
        string name = reader.Text("initialiser");
        double parameter = reader.Double();
        return name switch
        {
            "zeros" => Initializer.Zeros,
            "glorot_uniform" => Initializer.GlorotUniform,
            "glorot_normal" => Initializer.GlorotNormal,
            "he_uniform" => Initializer.HeUniform,
            "he_normal" => Initializer.HeNormal,
            "random_normal" when parameter > 0 && double.IsFinite(parameter) => Initializer.RandomNormal(parameter),
            "random_normal" => throw reader.Corrupt($"expected a positive standard deviation, but found {parameter}"),
            _ => throw reader.Corrupt($"expected a known initialiser, but found '{name}'"),
        };
    }
}
