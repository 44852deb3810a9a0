using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// <see cref="StandardScaler{T}.PartialFit"/> and <see cref="MinMaxScaler{T}.PartialFit"/>: statistics gathered chunk by
/// chunk equal those <c>Fit</c> gives on all the chunks together (within 1e-12 relative in double; min and max
/// exactly), stay accurate far from 0, and work on batches streamed from a CSV file.
/// </summary>
public sealed class ScalerPartialFitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.PartialFit." + Guid.NewGuid().ToString("N"));

    public ScalerPartialFitTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Columns on different scales and offsets, one of them constant.</summary>
    private static Matrix<double> Data(int rows, int seed)
    {
        var random = new Random(seed);
        double[] offsets = [-50, 0, 1e3, 7];
        double[] scales = [0.01, 1, 250, 0];
        return Matrix<double>.Build.Dense(rows, 4, (_, j) => offsets[j] + (scales[j] * ((random.NextDouble() * 2) - 1)));
    }

    /// <summary><paramref name="data"/> cut into consecutive chunks of the given sizes.</summary>
    private static IEnumerable<Matrix<double>> Chunks(Matrix<double> data, params int[] sizes)
    {
        int start = 0;
        foreach (int size in sizes)
        {
            yield return data.SubMatrix(start, size, 0, data.ColumnCount);
            start += size;
        }

        start.Should().Be(data.RowCount, "the chunks cover the data");
    }

    private static void ShouldBeRelativelyClose(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double tolerance)
    {
        actual.Should().HaveSameCount(expected);
        for (int j = 0; j < expected.Count; j++)
        {
            Math.Abs(actual[j] - expected[j]).Should().BeLessThanOrEqualTo(tolerance * Math.Abs(expected[j]), $"column {j}: {actual[j]} against {expected[j]}");
        }
    }

    [Theory]
    [InlineData(new[] { 1000 })]
    [InlineData(new[] { 1, 999 })]
    [InlineData(new[] { 500, 1, 1, 498 })]
    [InlineData(new[] { 7, 100, 3, 890 })]
    public void StandardScaler_chunks_give_Fit_s_mean_and_deviation_within_1e_12(int[] sizes)
    {
        Matrix<double> data = Data(1000, 6101);
        var whole = new StandardScaler<double>().Fit(data);
        var chunked = new StandardScaler<double>();

        foreach (Matrix<double> chunk in Chunks(data, sizes))
        {
            chunked.PartialFit(chunk);
        }

        ShouldBeRelativelyClose(chunked.Mean!, whole.Mean!, 1e-12);
        ShouldBeRelativelyClose(chunked.StandardDeviation!, whole.StandardDeviation!, 1e-12);
        chunked.StandardDeviation![3].Should().Be(1, "a constant column is only centred, as Fit does");
    }

    [Fact]
    public void StandardScaler_chunks_one_row_at_a_time_still_agree_with_Fit()
    {
        Matrix<double> data = Data(300, 6102);
        var whole = new StandardScaler<double>().Fit(data);
        var chunked = new StandardScaler<double>();

        for (int i = 0; i < data.RowCount; i++)
        {
            chunked.PartialFit(data.SubMatrix(i, 1, 0, data.ColumnCount));
        }

        ShouldBeRelativelyClose(chunked.Mean!, whole.Mean!, 1e-12);
        ShouldBeRelativelyClose(chunked.StandardDeviation!, whole.StandardDeviation!, 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void StandardScaler_chunks_keep_the_variance_of_data_far_from_zero(int chunkSize)
    {
        // 1e9 + k for k = 0..999: the population variance is (1000² − 1)/12 exactly. Summing x and x² would cancel 18
        // digits of x² to find it; shifting by the first value and merging each chunk's own deviations keeps it.
        Matrix<double> data = Matrix<double>.Build.Dense(1000, 1, (i, _) => 1e9 + i);
        var chunked = new StandardScaler<double>();

        foreach (Matrix<double> chunk in Chunks(data, [.. Enumerable.Repeat(chunkSize, 1000 / chunkSize)]))
        {
            chunked.PartialFit(chunk);
        }

        chunked.Mean![0].Should().Be(1e9 + 499.5);
        ShouldBeRelativelyClose(chunked.StandardDeviation!, [Math.Sqrt(((1000.0 * 1000) - 1) / 12)], 1e-14);
        ShouldBeRelativelyClose(chunked.StandardDeviation!, new StandardScaler<double>().Fit(data).StandardDeviation!, 1e-12);
    }

    /// <summary>
    /// The exact mean and population standard deviation of a column, from exact integer arithmetic: every double is
    /// m·2^e, so x·2^1100 is an integer, and n²·variance·2^2200 = n·Σx² − (Σx)² holds exactly in BigInteger.
    /// </summary>
    private static (double Mean, double Std) Exact(IReadOnlyList<double> column)
    {
        const int Scale = 1100;
        BigInteger sum = 0;
        BigInteger squares = 0;
        foreach (double x in column)
        {
            long bits = BitConverter.DoubleToInt64Bits(x);
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            mantissa |= exponent == 0 ? 0 : 1L << 52;
            BigInteger scaled = new BigInteger(mantissa) << (Math.Max(exponent, 1) - 1075 + Scale);
            scaled = x < 0 ? -scaled : scaled;
            sum += scaled;
            squares += scaled * scaled;
        }

        BigInteger n = column.Count;
        BigInteger one = BigInteger.One << Scale;
        return (Ratio(sum, n * one), Math.Sqrt(Ratio((n * squares) - (sum * sum), n * n * one * one)));

        // A quotient of big integers to double: scaled to about 120 bits of quotient, then converted.
        static double Ratio(BigInteger numerator, BigInteger denominator)
        {
            int shift = (int)(denominator.GetBitLength() - BigInteger.Abs(numerator).GetBitLength()) + 120;
            BigInteger quotient = shift >= 0 ? (numerator << shift) / denominator : numerator / (denominator << -shift);
            return (double)quotient * Math.Pow(2, -shift);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void StandardScaler_chunks_match_the_exact_statistics_of_data_far_from_zero(int chunkSize)
    {
        // 1e9 ± 1: the doubles carry 7 digits below the offset, which a sum of 20,000 values of 1e9 loses in part.
        var random = new Random(6111);
        Matrix<double> data = Matrix<double>.Build.Dense(20_000, 1, (_, _) => 1e9 + (random.NextDouble() * 2) - 1);
        (double mean, double std) = Exact([.. data.Column(0)]);
        var chunked = new StandardScaler<double>();

        for (int start = 0; start < data.RowCount; start += chunkSize)
        {
            chunked.PartialFit(data.SubMatrix(start, Math.Min(chunkSize, data.RowCount - start), 0, 1));
        }

        // A double near 1e9 is a multiple of 2^-23 (1.2e-7): the mean can only be within one such step of the exact one.
        Math.Abs(chunked.Mean![0] - mean).Should().BeLessThanOrEqualTo(Math.BitIncrement(mean) - mean);
        ShouldBeRelativelyClose(chunked.StandardDeviation!, [std], 1e-13);
    }

    [Fact]
    public void StandardScaler_transforms_after_any_chunk_with_what_it_has_seen()
    {
        Matrix<double> data = Data(20, 6103);
        var scaler = new StandardScaler<double>().PartialFit(data.SubMatrix(0, 10, 0, 4));

        Matrix<double> transformed = scaler.Transform(data.SubMatrix(0, 10, 0, 4));

        transformed.ColumnSums().Enumerate().Should().OnlyContain(s => Math.Abs(s) < 1e-9, "the chunk seen so far has mean 0 after scaling");
    }

    [Fact]
    public void StandardScaler_in_float_agrees_with_Fit_to_float_precision()
    {
        Matrix<float> data = Data(500, 6104).Map(v => (float)v);
        var whole = new StandardScaler<float>().Fit(data);
        var chunked = new StandardScaler<float>().PartialFit(data.SubMatrix(0, 123, 0, 4)).PartialFit(data.SubMatrix(123, 377, 0, 4));

        for (int j = 0; j < 4; j++)
        {
            chunked.Mean![j].Should().BeApproximately(whole.Mean![j], Math.Abs(whole.Mean[j]) * 1e-6f);
            chunked.StandardDeviation![j].Should().BeApproximately(whole.StandardDeviation![j], Math.Abs(whole.StandardDeviation[j]) * 1e-6f);
        }
    }

    [Theory]
    [InlineData(new[] { 1000 })]
    [InlineData(new[] { 1, 999 })]
    [InlineData(new[] { 333, 333, 334 })]
    public void MinMaxScaler_chunks_give_exactly_Fit_s_minimum_and_range(int[] sizes)
    {
        Matrix<double> data = Data(1000, 6105);
        var whole = new MinMaxScaler<double>().Fit(data);
        var chunked = new MinMaxScaler<double>();

        foreach (Matrix<double> chunk in Chunks(data, sizes))
        {
            chunked.PartialFit(chunk);
        }

        chunked.Minimum.Should().Equal(whole.Minimum);
        chunked.Range.Should().Equal(whole.Range);
    }

    [Fact]
    public void Batches_streamed_from_a_file_are_scaled_as_the_loaded_file_is()
    {
        string path = Path.Combine(_directory, "data.csv");
        var random = new Random(6106);
        File.WriteAllLines(path, ["a,b,y", .. Enumerable.Range(0, 257).Select(i => FormattableString.Invariant($"{(random.NextDouble() * 100) + 1e6},{random.NextDouble()},{i % 2}"))]);
        Dataset<double> loaded = Csv.Load<double>(path);
        var fitted = new StandardScaler<double>().Fit(loaded);
        var streamed = new StandardScaler<double>();

        foreach (DataBatch<double> batch in Csv.ReadBatches<double>(path, 32))
        {
            streamed.PartialFit(batch.Inputs);
        }

        ShouldBeRelativelyClose(streamed.Mean!, fitted.Mean!, 1e-12);
        ShouldBeRelativelyClose(streamed.StandardDeviation!, fitted.StandardDeviation!, 1e-12);
    }

    [Fact]
    public void PartialFit_does_not_continue_statistics_it_did_not_gather()
    {
        Matrix<double> data = Data(10, 6107);
        var standard = new StandardScaler<double>().Fit(data);
        var minMax = new MinMaxScaler<double>().Fit(data);
        var refitted = new StandardScaler<double>().PartialFit(data).Fit(data);
        var given = new StandardScaler<double>([1, 2, 3, 4], [1, 1, 1, 1]);

        ((Action)(() => standard.PartialFit(data))).Should().ThrowExactly<InvalidOperationException>().WithMessage("StandardScaler holds statistics that PartialFit did not gather (from Fit, or given)*use a new scaler*");
        ((Action)(() => minMax.PartialFit(data))).Should().ThrowExactly<InvalidOperationException>().WithMessage("MinMaxScaler holds statistics that PartialFit did not gather*");
        ((Action)(() => refitted.PartialFit(data))).Should().ThrowExactly<InvalidOperationException>();
        ((Action)(() => given.PartialFit(data))).Should().ThrowExactly<InvalidOperationException>().WithMessage("StandardScaler holds statistics that PartialFit did not gather*");
    }

    [Fact]
    public void PartialFit_refuses_bad_chunks()
    {
        var standard = new StandardScaler<double>().PartialFit(Data(5, 6108));
        var minMax = new MinMaxScaler<double>().PartialFit(Data(5, 6108));
        Matrix<double> narrow = Matrix<double>.Build.Dense(3, 2);
        Matrix<double> infinite = Data(3, 6109);
        infinite[1, 2] = double.PositiveInfinity;

        ((Action)(() => standard.PartialFit(narrow))).Should().ThrowExactly<ArgumentException>().WithMessage("StandardScaler.PartialFit expects 4 columns in features but got 3×2.*");
        ((Action)(() => minMax.PartialFit(narrow))).Should().ThrowExactly<ArgumentException>().WithMessage("MinMaxScaler.PartialFit expects 4 columns*");
        ((Action)(() => standard.PartialFit(infinite))).Should().ThrowExactly<ArgumentException>().WithMessage("features must be finite, but row 1, column 2 is Infinity.*");
        ((Action)(() => minMax.PartialFit(infinite))).Should().ThrowExactly<ArgumentException>().WithMessage("features must be finite*");
        ((Action)(() => standard.PartialFit(null!))).Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("features");
        ((Action)(() => minMax.PartialFit(Matrix<double>.Build.Dense(0, 4)))).Should().Throw<ArgumentException>().WithMessage("features must hold at least one row*");
    }

    [Fact]
    public void A_refused_chunk_leaves_the_statistics_as_they_were()
    {
        Matrix<double> data = Data(8, 6110);
        var scaler = new StandardScaler<double>().PartialFit(data);
        double[] mean = [.. scaler.Mean!];
        Matrix<double> bad = data.Clone();
        bad[0, 0] = double.NaN;

        ((Action)(() => scaler.PartialFit(bad))).Should().Throw<ArgumentException>();

        scaler.Mean.Should().Equal(mean);
        scaler.PartialFit(data).Mean.Should().Equal(mean, "the same data again leaves the mean where it was");
    }
}
