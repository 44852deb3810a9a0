using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.Persistence;

/// <summary>Little-endian primitives for the model format, written to an in-memory buffer.</summary>
internal sealed class ModelWriter : IDisposable
{
    private readonly MemoryStream _buffer = new();

    public void Byte(byte value) => _buffer.WriteByte(value);

    public void Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void Int64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void UInt64(ulong value) => Int64(unchecked((long)value));

    public void Double(double value) => Int64(BitConverter.DoubleToInt64Bits(value));

    /// <summary>An ASCII identifier: a length byte, then the characters.</summary>
    public void Text(string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        Byte(checked((byte)bytes.Length));
        _buffer.Write(bytes);
    }

    /// <summary>UTF-8 text of any length: an int32 byte count, then the bytes.</summary>
    public void Utf8(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Int32(bytes.Length);
        _buffer.Write(bytes);
    }

    /// <summary>Raw values, little-endian, with no length (the reader knows it from the shapes).</summary>
    public void Values<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (BitConverter.IsLittleEndian)
        {
            _buffer.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        foreach (T value in values)
        {
            if (typeof(T) == typeof(float))
            {
                Int32(BitConverter.SingleToInt32Bits(float.CreateTruncating(value)));
            }
            else
            {
                Double(double.CreateTruncating(value));
            }
        }
    }

    public byte[] ToArray() => _buffer.ToArray();

    public void Dispose() => _buffer.Dispose();
}
