using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Runs the benchmark suites: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick run). <c>-- --allocations</c> instead prints where a training step allocates.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--allocations"])
        {
            AllocationProbe.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
