using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.Persistence;

/// <summary>
/// Reads the model format's primitives from a byte array, checking every length against the bytes that remain
/// before allocating anything, so hostile content can neither read out of range nor make a large allocation.
/// </summary>
internal sealed class ModelReader(byte[] data, int length)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private int _position;

    /// <summary>The format version of the file being read, set once its header is read.</summary>
    public int FormatVersion { get; set; }

    public int Remaining => length - _position;

    public byte Byte() => Take(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong UInt64() => unchecked((ulong)Int64());

    public double Double() => BitConverter.Int64BitsToDouble(Int64());

    /// <summary>An int in [min, max], or a <see cref="ModelFormatException"/> naming <paramref name="what"/>.</summary>
    public int Int32(string what, int min, int max)
    {
        int value = Int32();
        return value >= min && value <= max ? value : throw Corrupt($"expected {what} in [{min}, {max}], but found {value}");
    }

    public string Text(string what)
    {
        int count = Byte();
        ReadOnlySpan<byte> bytes = Take(count);
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                throw Corrupt($"expected {what} as printable ASCII, but found byte 0x{b:X2}");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>UTF-8 text of any length: an int32 byte count (checked against what remains), then the bytes.</summary>
    public string Utf8(string what)
    {
        int count = Int32($"the length of {what}", 0, Remaining);
        try
        {
            return StrictUtf8.GetString(Take(count));
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt($"expected {what} as UTF-8 text, but its bytes are not valid UTF-8");
        }
    }

    /// <summary>Reads <paramref name="count"/> values after checking the bytes are there.</summary>
    public T[] Values<T>(long count, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = Marshal.SizeOf<T>();

        // Compared by division, so that no claimed count can overflow the product.
        if (count < 0 || count > Remaining / size)
        {
            throw Corrupt($"{what} needs {(Int128)count * size} bytes, but only {Remaining} remain");
        }

        var values = new T[count];
        ReadOnlySpan<byte> bytes = Take((int)(count * size));
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = size == 4
                    ? T.CreateTruncating(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * 4, 4))))
                    : T.CreateTruncating(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(i * 8, 8))));
            }
        }

        return values;
    }

    public ModelFormatException Corrupt(string detail) => new($"The model file is not valid at byte {_position}: {detail}.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw Corrupt($"expected {count} more bytes, but the content ends after {Remaining}");
        }

        var span = new ReadOnlySpan<byte>(data, _position, count);
        _position += count;
        return span;
    }
}
