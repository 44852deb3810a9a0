namespace NeuralNet.Tests.TestSupport;

/// <summary>Files of the repository the tests run from, for tests that hold the README and the samples to each other.</summary>
internal static class Repository
{
    /// <summary>The directory holding NeuralNet.sln, found upwards from the test assembly.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NeuralNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NeuralNet.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The README's text, with \n line endings.</summary>
    public static string Readme() => File.ReadAllText(Path.Combine(Root(), "README.md")).ReplaceLineEndings("\n");
}
