using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

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

    [Fact]
    public void The_readme_states_the_bounds_the_ONNX_Runtime_and_PyTorch_tests_assert()
    {
        // The README gives the largest differences measured beside the bounds the tests assert: changing a bound in
        // one place without the other fails here. Line breaks in the README are not part of the sentence.
        string readme = Regex.Replace(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")), @"\s+", " ");

        readme.Should().MatchRegex(
            $@"compare with `Predict`: the largest difference, with either matrix backend, was [0-9.e-]+ in float32 \(the bound is {Exponent(OnnxRuntimeExportTests.FloatBound)}\) and [0-9.e-]+ in float64 \(the bound is {Exponent(OnnxRuntimeExportTests.DoubleBound)}\)\.");
        readme.Should().MatchRegex(
            $@"PyTorch-exported fixtures \([^)]*\) are reproduced within [0-9.e-]+ in float32 and [0-9.e-]+ in float64 with either backend \(the bounds are {Exponent(PyTorchImportTests.FloatBound)} and {Exponent(PyTorchImportTests.DoubleBound)}\);");
    }

    [Fact]
    public void Both_readmes_state_the_layer_cap_import_enforces()
    {
        // The cap is the one number a user must know before importing a deep graph; a change to it must reach the docs.
        string cap = $"at most {OnnxModel.MaximumLayers.ToString("N0", CultureInfo.InvariantCulture)} dense layers (`OnnxModel.MaximumLayers`";
        string root = RepositoryRoot();
        foreach (string readme in new[] { Path.Combine(root, "README.md"), Path.Combine(root, "src", "NeuralNet.Onnx", "README.md") })
        {
            bool states = Regex.Replace(File.ReadAllText(readme), @"\s+", " ").Contains(cap, StringComparison.Ordinal);
            states.Should().BeTrue($"{readme} documents the importer, so it must say \"{cap}\"");
        }
    }

    [Fact]
    public void The_readme_quotes_the_message_export_gives_for_a_non_finite_weight()
    {
        Network<float> network = Architectures.Build<float>("relu-softmax-classifier");
        ((Dense<float>)network.Layers[1]).Weights.Value[3, 4] = float.NaN;
        string message = FluentActions.Invoking(() => OnnxModel.ExportToBytes(network)).Should().Throw<ArgumentException>().Which.Message;

        string quoted = message[..(message.IndexOf(';', StringComparison.Ordinal) + 1)];
        bool quotes = Regex.Replace(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")), @"\s+", " ").Contains($"(`{quoted} …`)", StringComparison.Ordinal);
        quotes.Should().BeTrue($"the README quotes \"{quoted} …\"");
    }

    /// <summary>A bound as the README writes it: 1e-5, 1e-12.</summary>
    private static string Exponent(double bound) => bound.ToString("0e0", CultureInfo.InvariantCulture);

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
