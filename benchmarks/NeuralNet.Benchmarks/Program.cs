using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Runs the benchmark suites: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick run). <c>-- --allocations</c> instead prints where a training step allocates;
/// <c>-- --native-libraries [rounds]</c> times the native libraries side by side (<see cref="NativeLibraryRates"/>);
/// <c>-- --toolkit-steps [rounds]</c> the training step with dropout and batch normalisation (<see cref="ToolkitStepRates"/>);
/// <c>-- --component-report [repository root]</c> prints each toolkit component's gradient-check error and differences from
/// PyTorch and ONNX Runtime (<see cref="ComponentReport"/>).
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

        if (args is ["--component-report", ..])
        {
            try
            {
                ComponentReport.Run(args.Length > 1 ? args[1] : null);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // A missing fixture is a usage error: say which file, without a stack trace.
                Console.Error.WriteLine(e.Message);
                Environment.ExitCode = 1;
            }

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
