using System.Diagnostics;

namespace NeuralNet.Tests.Backends;

/// <summary>Runs <see cref="BackendProbe"/> in a child process and reads its <c>key=value</c> lines.</summary>
internal static class ProbeProcess
{
    /// <summary>
    /// Runs the probe with <paramref name="arguments"/>; <paramref name="environment"/> adds variables to the child's
    /// environment (which otherwise is this process's).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost(), ["exec", typeof(BackendProbe).Assembly.Location, "probe", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The probe did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"the probe should succeed; it wrote: {output} {errors.Result}");
        return output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>The dotnet host running the tests, so the probe runs on the same runtime.</summary>
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
