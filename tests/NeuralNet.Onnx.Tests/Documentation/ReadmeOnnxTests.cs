namespace NeuralNet.Onnx.Tests.Documentation;

/// <summary>The README's ONNX serving code is the OnnxServing sample, which the solution compiles.</summary>
public class ReadmeOnnxTests
{
    [Fact]
    public void The_readme_serving_example_is_the_OnnxServing_sample_verbatim()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string sample = File.ReadAllText(Path.Combine(root, "samples", "OnnxServing", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        readme.Should().Contain("```csharp\n" + sample + "\n```");
    }

    [Fact]
    public void The_readme_python_export_uses_the_arguments_the_fixtures_were_made_with()
    {
        // The fixtures prove the importer reads what these arguments produce; the README must not drift from them.
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string script = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Onnx.Tests", "Fixtures", "make_fixtures.py"));

        foreach (string argument in new[] { "input_names=[\"input\"]", "output_names=[\"output\"]", "dynamic_axes={\"input\": {0: \"batch\"}, \"output\": {0: \"batch\"}}" })
        {
            readme.Should().Contain(argument);
            script.Should().Contain(argument);
        }
    }

    private static string RepositoryRoot()
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
}
