using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>
/// The count, mean and sum of squared deviations of each column, updated chunk by chunk (for
/// <see cref="StandardScaler{T}.PartialFit"/>) without keeping the data.
/// </summary>
/// <remarks>
/// Each column is taken relative to its first value (a shift, so that data far from 0, such as 1e9 ± 1, is summed as
/// the small differences it holds: subtracting a nearby value is exact). Each chunk's own mean and squared deviations
/// are computed in two passes, then merged with what came before by Chan, Golub and LeVeque's pairwise update (1979):
/// with δ = mean_b − mean_a and n = n_a + n_b, mean = mean_a + δ·n_b/n and M2 = M2_a + M2_b + δ²·n_a·n_b/n. Unlike the
/// sums of x and x², it never subtracts two large nearly equal numbers. Everything is in double.
/// </remarks>
internal sealed class RunningMoments
{
    private readonly double[] _shift;
    private readonly double[] _mean;
    private readonly double[] _m2;

    /// <summary>Statistics of <paramref name="columns"/> columns, none seen yet.</summary>
    public RunningMoments(int columns)
    {
        _shift = new double[columns];
        _mean = new double[columns];
        _m2 = new double[columns];
    }

    /// <summary>The number of columns.</summary>
    public int Columns => _mean.Length;

    /// <summary>The number of rows seen.</summary>
    public long Count { get; private set; }

    /// <summary>The mean of column <paramref name="j"/>.</summary>
    public double Mean(int j) => _shift[j] + _mean[j];

    /// <summary>The population variance of column <paramref name="j"/> (squared deviations / count).</summary>
    public double Variance(int j) => _m2[j] / Count;

    /// <summary>Adds the rows of <paramref name="chunk"/> (samples × <see cref="Columns"/>, finite).</summary>
    public void Add<T>(Matrix<T> chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = Storage.Read(chunk, out _);
        int rows = chunk.RowCount;
        long total = Count + rows;
        for (int j = 0; j < _mean.Length; j++)
        {
            ReadOnlySpan<T> column = values.Slice(j * rows, rows);
            if (Count == 0)
            {
                _shift[j] = double.CreateChecked(column[0]);
            }

            double shift = _shift[j];
            double mean = 0;
            foreach (T x in column)
            {
                mean += double.CreateChecked(x) - shift;
            }

            mean /= rows;
            double m2 = 0;
            foreach (T x in column)
            {
                double d = double.CreateChecked(x) - shift - mean;
                m2 += d * d;
            }

            if (Count == 0)
            {
                _mean[j] = mean;
                _m2[j] = m2;
                continue;
            }

            double delta = mean - _mean[j];
            _mean[j] += delta * rows / total;
            _m2[j] += m2 + (delta * delta * ((double)Count * rows / total));
        }

        Count = total;
    }
}
