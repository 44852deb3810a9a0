using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Runs the benchmark suites: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick run). <c>-- --allocations</c> instead prints where a training step allocates;
/// <c>-- --native-libraries [rounds]</c> times the native libraries side by side (<see cref="NativeLibraryRates"/>);
/// <c>-- --toolkit-steps [rounds]</c> the training step with dropout and batch normalisation (<see cref="ToolkitStepRates"/>).
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

        if (args is ["--native-libraries", ..])
        {
            NativeLibraryRates.Compare(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return;
        }

        if (args is ["--toolkit-steps", ..])
        {
            ToolkitStepRates.Compare(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
            return;
        }

        if (args is ["--native-library", string library])
        {
            NativeLibraryRates.Measure(library);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
