using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Documentation;

/// <summary>The README's code is code that builds: the quick start is the QuickStart sample, the custom activation the package check's.</summary>
public class ReadmeTests
{
    [Fact]
    public void The_readme_quick_start_is_the_quick_start_sample_verbatim()
    {
        string root = Repository.Root();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string sample = File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        readme.Should().Contain("```csharp\n" + sample + "\n```");
    }

    [Fact]
    public void The_readme_custom_activation_is_the_one_the_package_check_compiles_verbatim()
    {
        string root = Repository.Root();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string example = File.ReadAllText(Path.Combine(root, "tests", "PackageConsumer", "Softsign.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        readme.Should().Contain("```csharp\n" + example + "\n```");
        File.ReadAllText(Path.Combine(root, "tests", "PackageConsumer", "Program.cs")).Should().Contain(
            "ComponentRegistry.Activations.Register(\"consumer.softsign\", _ => new Softsign());",
            "the README's registration line is the one the package check runs");
    }

    [Fact]
    public void The_readme_shows_the_test_command_that_ci_runs()
    {
        string root = Repository.Root();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string ci = File.ReadAllText(Path.Combine(root, ".ci", "run"));

        readme.Should().Contain("dotnet test NeuralNet.sln -c Release");
        ci.Should().Contain("dotnet test NeuralNet.sln -c Release");
    }
}
