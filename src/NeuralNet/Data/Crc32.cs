namespace NeuralNet.Data;

/// <summary>
/// The CRC-32 of gzip (RFC 1952) and zlib: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
/// </summary>
/// <remarks>Byte at a time from a 256-entry table; the runtime's own implementation is not public, and a package for it would be one more dependency.</remarks>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="data"/> appended to the data whose CRC-32 is <paramref name="crc"/> (0 for none).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        foreach (byte b in data)
        {
            state = Table[(byte)(state ^ b)] ^ (state >> 8);
        }

        return ~state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
