using System.Diagnostics;
using System.Globalization;
using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The libraries of <see cref="NativeLibraryBenchmarks"/> timed side by side on a shared machine: one process per
/// library (OpenBLAS picks its kernel once per process), the libraries alternating over several rounds with the
/// starting one rotating, and the median of the rounds printed as a Markdown table of GFLOPS. Slow machines'
/// neighbours then slow every library alike, where one BenchmarkDotNet run times each library at a different moment.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --native-libraries [rounds]</c> (default 5
/// rounds; about 5 s per library per round). Each process checks its library against MathNet first.
/// </remarks>
internal static class NativeLibraryRates
{
    private static readonly int[] Batches = [32, 128, 8000];
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>Runs every library in <paramref name="rounds"/> alternating rounds and prints the medians.</summary>
    public static void Compare(int rounds)
    {
        string[] libraries = [.. NativeLibraries.Available()];
        var rates = new Dictionary<(string Library, Product Product, int Batch, int Threads), List<double>>();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < libraries.Length; i++)
            {
                string library = libraries[(i + round) % libraries.Length];
                foreach (string line in RunChild(library))
                {
                    string[] cells = line.Split('\t');
                    var key = (library, Enum.Parse<Product>(cells[0]), int.Parse(cells[1], CultureInfo.InvariantCulture), int.Parse(cells[2], CultureInfo.InvariantCulture));
                    (rates.TryGetValue(key, out List<double>? list) ? list : rates[key] = []).Add(double.Parse(cells[3], CultureInfo.InvariantCulture));
                }
            }

            Console.Error.WriteLine($"round {round + 1} of {rounds} done");
        }

        Console.WriteLine($"| product | batch | threads | {string.Join(" | ", libraries)} |");
        Console.WriteLine($"|---|---|---|{string.Concat(libraries.Select(_ => "---|"))}");
        foreach (int batch in Batches)
        {
            foreach (Product product in Enum.GetValues<Product>())
            {
                foreach (int threads in ThreadCounts)
                {
                    IEnumerable<string> cells = libraries.Select(library => rates.TryGetValue((library, product, batch, threads), out List<double>? list)
                        ? string.Create(CultureInfo.InvariantCulture, $"{Median(list):F0} ({list.Min():F0}–{list.Max():F0})")
                        : "-");
                    Console.WriteLine($"| {product} | {batch} | {threads} | {string.Join(" | ", cells)} |");
                }
            }
        }
    }

    /// <summary>
    /// In a child process: loads <paramref name="library"/> and prints, per product, batch and thread count, the median
    /// GFLOPS of 7 blocks of about 30 ms each, as tab-separated lines.
    /// </summary>
    public static void Measure(string library)
    {
        MatrixBackend backend = NativeLibraries.Load(library);
        Console.Error.WriteLine($"{library}: {backend.Description}");
        foreach (int batch in Batches)
        {
            foreach (Product product in Enum.GetValues<Product>())
            {
                ProductShape s = ProductShape.Of(product, batch, 784, 128);
                var random = new Random(1);
                float[] a = BackendCheck.Storage(BackendCheck.RandomMatrix(random, s.AShape));
                float[] b = BackendCheck.Storage(BackendCheck.RandomMatrix(random, s.BShape));
                float[] c = new float[s.M * s.N];
                BackendCheck.Verify(backend, [s]);
                foreach (int threads in ThreadCounts)
                {
                    MatrixBackend.ThreadCount = threads;
                    backend.ApplyThreadCount(threads);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{product}\t{batch}\t{threads}\t{Gflops(backend, s, a, b, c):F1}"));
                }
            }
        }
    }

    private static double Gflops(MatrixBackend backend, ProductShape s, float[] a, float[] b, float[] c)
    {
        // Warm up for 60 ms (at least 3 products), then size blocks of about 30 ms from what that took.
        var clock = Stopwatch.StartNew();
        int warmups = 0;
        while (clock.Elapsed.TotalMilliseconds < 60 || warmups < 3)
        {
            backend.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a, b, 0f, c);
            warmups++;
        }

        int perBlock = Math.Max(1, (int)(warmups * 30 / clock.Elapsed.TotalMilliseconds));
        var rates = new List<double>();
        for (int block = 0; block < 7; block++)
        {
            clock.Restart();
            for (int r = 0; r < perBlock; r++)
            {
                backend.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a, b, 0f, c);
            }

            rates.Add(s.Flops * perBlock / clock.Elapsed.TotalSeconds / 1e9);
        }

        return Median(rates);
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string[] RunChild(string library)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, [.. ChildPrefix(), "--native-library", library])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"The process for {library} did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Console.Error.Write(errors.Result);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Measuring {library} failed (exit code {process.ExitCode}).");
        }

        // The rate lines, without the backend check's report.
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith("//", StringComparison.Ordinal))];
    }

    /// <summary>The arguments that start this program again: none for its apphost, the assembly for <c>dotnet</c>.</summary>
    private static string[] ChildPrefix()
        => Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(NativeLibraryRates).Assembly.Location] : [];
}
