namespace NeuralNet.Persistence;

/// <summary>
/// Writes a file beside its target, flushes it to disk, then renames it over the target: the old file stays whole
/// until the new one is complete, so a failed or interrupted save never leaves a half-written file in its place.
/// The temporary file's name is short and fixed in length (a dot, 32 hex digits, <c>.tmp</c>), so that a target whose
/// own name is near the file system's limit can still be written.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] content) => Write(path, content, OpenTemporary);

    /// <summary><see cref="Write(string, byte[])"/> with the temporary file opened by <paramref name="open"/>, so that tests can make the write fail at any byte.</summary>
    internal static void Write(string path, byte[] content, Func<string, Stream> open)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Guid.NewGuid():N}.tmp");
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
}
