using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// A column of work done per second: the work one benchmark invocation does (given by <paramref name="work"/>)
/// divided by its mean time, in units of <paramref name="unit"/> per second.
/// </summary>
/// <param name="name">The column header.</param>
/// <param name="legend">What the column means.</param>
/// <param name="work">The work one invocation of a benchmark case does.</param>
/// <param name="unit">The unit the rate is shown in, e.g. 1e9 for GFLOPS.</param>
internal sealed class RateColumn(string name, string legend, Func<BenchmarkCase, double> work, double unit) : IColumn
{
    /// <summary>GFLOPS: <paramref name="flops"/> per invocation over the mean time.</summary>
    public static RateColumn Gflops(Func<BenchmarkCase, double> flops)
        => new("GFLOPS", "Floating-point operations per second, in 10^9: 2·m·n·k per product over the mean time", flops, 1e9);

    public string Id => $"{nameof(RateColumn)}.{name}";

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    /// <summary>Reads a benchmark parameter by name.</summary>
    public static T Parameter<T>(BenchmarkCase benchmarkCase, string parameter) => (T)benchmarkCase.Parameters[parameter];

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0)
        {
            return "NA";
        }

        double perSecond = work(benchmarkCase) / (meanNanoseconds.Value * 1e-9) / unit;
        return perSecond.ToString(perSecond >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
