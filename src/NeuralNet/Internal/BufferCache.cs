namespace NeuralNet.Internal;

/// <summary>
/// Per-batch-size work buffers. Training sees at most a few batch sizes (the chosen size and the last,
/// partial batch), so a short most-recently-used list finds them without allocating; a new size builds
/// its buffers once and evicts the least recently used entry when the list is full.
/// </summary>
internal sealed class BufferCache<TBuffers>
    where TBuffers : class
{
    private const int Capacity = 4;
    private readonly Func<int, TBuffers> _create;
    private readonly int[] _rows = new int[Capacity];
    private readonly TBuffers?[] _buffers = new TBuffers?[Capacity];
    private int _count;

    public BufferCache(Func<int, TBuffers> create) => _create = create;

    public TBuffers Get(int rows)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_rows[i] == rows)
            {
                TBuffers hit = _buffers[i]!;
                MoveToFront(i, rows, hit);
                return hit;
            }
        }

        TBuffers created = _create(rows);
        if (_count < Capacity)
        {
            _count++;
        }

        MoveToFront(_count - 1, rows, created);
        return created;
    }

    private void MoveToFront(int index, int rows, TBuffers buffers)
    {
        for (int i = index; i > 0; i--)
        {
            _rows[i] = _rows[i - 1];
            _buffers[i] = _buffers[i - 1];
        }

        _rows[0] = rows;
        _buffers[0] = buffers;
    }
}
