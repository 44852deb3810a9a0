using System.Security.Cryptography;
using System.Text;

namespace NeuralNet.Tests.TestSupport;

/// <summary>What hostile-file tests do to a saved model's bytes: find a stored identifier, and recompute the checksum as a hostile writer would.</summary>
internal static class ModelBytes
{
    /// <summary>Recomputes the trailing SHA-256 over everything before it.</summary>
    public static void Rehash(byte[] file)
    {
        if (file.Length >= 32)
        {
            SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
        }
    }

    /// <summary>The offset of the <paramref name="occurrence"/>-th <paramref name="text"/> stored as the format's text (a length byte, then ASCII), or −1.</summary>
    public static int Find(byte[] file, string text, int occurrence = 1)
    {
        byte[] stored = [(byte)text.Length, .. Encoding.ASCII.GetBytes(text)];
        int at = -1;
        for (int n = 0; n < occurrence; n++)
        {
            int next = file.AsSpan(at + 1).IndexOf(stored);
            if (next < 0)
            {
                return -1;
            }

            at += next + 1;
        }

        return at;
    }

    /// <summary>The offset just after the <paramref name="occurrence"/>-th <paramref name="text"/> stored as text; the text must be there.</summary>
    public static int After(byte[] file, string text, int occurrence = 1)
    {
        int at = Find(file, text, occurrence);
        at.Should().BeGreaterThanOrEqualTo(0, $"the file holds '{text}'");
        return at + 1 + text.Length;
    }
}
