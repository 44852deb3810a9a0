using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace NeuralNet.MLNet.Tests.TestSupport;

/// <summary>
/// The test assembly's entry point, for a child process: <c>dotnet exec NeuralNet.MLNet.Tests.dll predict model.zip
/// wine.csv</c> loads the model with a fresh <see cref="MLContext"/>, as a serving process would, and prints one line per
/// row: the predicted label and the scores.
/// </summary>
internal static class ChildProcess
{
    public static int Main(string[] args)
    {
        if (args is not ["predict", string model, string data])
        {
            Console.Error.WriteLine("usage: predict <model.zip> <wine.csv>");
            return 2;
        }

        // What a serving process does: nothing but load. (It references NeuralNet.MLNet, whose slot mappings ML.NET loads by name.)
        var ml = new MLContext();
        ITransformer loaded = ml.Model.Load(model, out _);
        IDataView rows = ml.Data.LoadFromTextFile<WineRow>(data, separatorChar: ',', hasHeader: true);
        foreach (WinePrediction prediction in ml.Data.CreateEnumerable<WinePrediction>(loaded.Transform(rows), reuseRowObject: false))
        {
            Console.WriteLine(prediction.PredictedLabel + ";" + string.Join(",", prediction.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
        }

        return 0;
    }

    /// <summary>Runs <c>predict</c> in a child process and returns its lines.</summary>
    public static IReadOnlyList<string> Predict(string model, string data)
        => Run(typeof(ChildProcess).Assembly.Location, ["predict", model, data], workingDirectory: null);

    /// <summary>Runs <paramref name="assembly"/> with the test's runtime and returns its lines, after checking it succeeded.</summary>
    public static IReadOnlyList<string> Run(string assembly, string[] arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(DotnetHost(), ["exec", assembly, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"the child should succeed; it wrote: {output} {errors.Result}");
        return output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The dotnet host running the tests, so the child runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
