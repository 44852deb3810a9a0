using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>The minimum and maximum of each column, updated chunk by chunk (for <see cref="MinMaxScaler{T}.PartialFit"/>); exact.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class RunningRange<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _min;
    private readonly T[] _max;
    private bool _any;

    /// <summary>Ranges of <paramref name="columns"/> columns, none seen yet.</summary>
    public RunningRange(int columns)
    {
        _min = new T[columns];
        _max = new T[columns];
    }

    /// <summary>The number of columns.</summary>
    public int Columns => _min.Length;

    /// <summary>The minimum of column <paramref name="j"/>.</summary>
    public T Min(int j) => _min[j];

    /// <summary>The maximum of column <paramref name="j"/>.</summary>
    public T Max(int j) => _max[j];

    /// <summary>Adds the rows of <paramref name="chunk"/> (samples × <see cref="Columns"/>, finite).</summary>
    public void Add(Matrix<T> chunk)
    {
        ReadOnlySpan<T> values = Storage.Read(chunk, out _);
        int rows = chunk.RowCount;
        for (int j = 0; j < _min.Length; j++)
        {
            ReadOnlySpan<T> column = values.Slice(j * rows, rows);
            T min = _any ? _min[j] : column[0];
            T max = _any ? _max[j] : column[0];
            foreach (T x in column)
            {
                min = T.Min(min, x);
                max = T.Max(max, x);
            }

            _min[j] = min;
            _max[j] = max;
        }

        _any = true;
    }
}
