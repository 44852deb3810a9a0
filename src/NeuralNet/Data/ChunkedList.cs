namespace NeuralNet.Data;

/// <summary>
/// Values appended one at a time into chunks that double from 64 to 8,192 values: growing never copies what is
/// already stored, and the unused room is less than one chunk, so storage stays proportional to the values added.
/// </summary>
/// <typeparam name="TItem">The value type.</typeparam>
internal sealed class ChunkedList<TItem>
    where TItem : unmanaged
{
    private const int FirstChunk = 64;
    private const int LargestChunk = 8192;

    private readonly List<TItem[]> _chunks = [];
    private TItem[] _last = [];
    private int _used;

    /// <summary>The number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Appends <paramref name="value"/>.</summary>
    public void Add(TItem value)
    {
        if (_used == _last.Length)
        {
            _last = new TItem[_last.Length == 0 ? FirstChunk : Math.Min(2 * _last.Length, LargestChunk)];
            _chunks.Add(_last);
            _used = 0;
        }

        _last[_used++] = value;
        Count++;
    }

    /// <summary>The stored values, chunk after chunk, in the order added.</summary>
    public IEnumerable<ArraySegment<TItem>> Chunks()
    {
        foreach (TItem[] chunk in _chunks)
        {
            yield return new ArraySegment<TItem>(chunk, 0, ReferenceEquals(chunk, _last) ? _used : chunk.Length);
        }
    }

    /// <summary>Copies the values, in the order added, into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<TItem> destination)
    {
        int offset = 0;
        foreach (ArraySegment<TItem> chunk in Chunks())
        {
            chunk.AsSpan().CopyTo(destination[offset..]);
            offset += chunk.Count;
        }
    }
}
