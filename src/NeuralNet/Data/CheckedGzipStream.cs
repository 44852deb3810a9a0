using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNet.Data;

/// <summary>
/// The inflated content of a gzip file, checked against the file's trailer (the CRC-32 and length of the content,
/// RFC 1952) when the end is reached.
/// </summary>
/// <remarks>
/// <see cref="GZipStream"/> checks a trailer that is present, but ends quietly when it is missing or cut short, and
/// ignores bytes after it: a truncated file would load as if whole. Here the last 8 bytes of the file must be the
/// trailer of everything inflated, so a file must hold exactly one gzip member, as <c>gzip</c> writes it.
/// </remarks>
internal sealed class CheckedGzipStream : Stream
{
    /// <summary>A 10-byte header and an 8-byte trailer around at least an empty deflate stream.</summary>
    private const int MinimumLength = 18;

    private readonly GZipStream _inner;
    private readonly string _path;
    private readonly uint _expectedCrc;
    private readonly uint _expectedLength;
    private uint _crc;
    private long _length;

    private CheckedGzipStream(FileStream file, string path, uint expectedCrc, uint expectedLength)
    {
        CompressedLength = file.Length;
        _inner = new GZipStream(file, CompressionMode.Decompress);
        _path = path;
        _expectedCrc = expectedCrc;
        _expectedLength = expectedLength;
    }

    /// <summary>The size of the gzip file.</summary>
    public long CompressedLength { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Opens <paramref name="file"/>, positioned at 0, after reading its trailer.</summary>
    /// <exception cref="DataFormatException">The file is too short to hold a gzip header and trailer.</exception>
    public static CheckedGzipStream Open(FileStream file, string path)
    {
        if (file.Length < MinimumLength)
        {
            throw new DataFormatException($"'{path}': a gzip file holds at least {MinimumLength} bytes (header and trailer), but this one holds {file.Length}.");
        }

        Span<byte> trailer = stackalloc byte[8];
        file.Seek(-trailer.Length, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Position = 0;
        return new CheckedGzipStream(file, path, BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
        if (read > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..read]);
            _length += read;
        }
        else if (!buffer.IsEmpty)
        {
            Verify();
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        // The trailer holds the length modulo 2^32.
        uint length = unchecked((uint)_length);
        if (_crc != _expectedCrc || length != _expectedLength)
        {
            throw new DataFormatException(
                $"'{_path}': the gzip trailer (CRC-32 {_expectedCrc:X8}, {_expectedLength} bytes) does not match the inflated data " +
                $"(CRC-32 {_crc:X8}, {length} bytes): the file is cut short or corrupt, has bytes after its trailer, or holds more than one gzip member.");
        }
    }
}
