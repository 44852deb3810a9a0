using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>Runs the benchmark suites: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
