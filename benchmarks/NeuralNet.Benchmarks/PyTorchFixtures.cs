using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The PyTorch reference values the unit tests compare against, read from the JSON files
/// tests/NeuralNet.Tests/Fixtures/pytorch/make_fixtures.py wrote (the same files, so the report and the tests judge
/// against one set of numbers).
/// </summary>
internal sealed class PyTorchFixtures
{
    /// <summary>The fixture directory, relative to the repository root.</summary>
    public const string RelativeDirectory = "tests/NeuralNet.Tests/Fixtures/pytorch";

    private PyTorchFixtures(string directory)
    {
        Directory = directory;
        Activations = Read("activations.json");
        Losses = Read("losses.json");
        Layers = Read("layers.json");
        Training = Read("training.json");
    }

    /// <summary>The directory the files were read from.</summary>
    public string Directory { get; }

    /// <summary>activations.json: per precision ("float64", "float32") and activation, input, value and derivative.</summary>
    public JsonNode Activations { get; }

    /// <summary>losses.json: per loss, output, target, value and gradient (float64).</summary>
    public JsonNode Losses { get; }

    /// <summary>layers.json: the fixed batch, γ, β, upstream gradient, and per layer and mode PyTorch's outputs and gradients (float64).</summary>
    public JsonNode Layers { get; }

    /// <summary>training.json: AdamW steps and gradient clipping, in float64 and float32.</summary>
    public JsonNode Training { get; }

    /// <summary>
    /// Reads the fixtures from <paramref name="root"/>, or, when it is null, from the first directory holding
    /// NeuralNet.sln above the working directory or above the program.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No repository root is found, or it has no fixture directory.</exception>
    public static PyTorchFixtures Load(string? root)
    {
        string repository = root ?? FindRoot();
        string directory = Path.GetFullPath(Path.Combine(repository, RelativeDirectory));
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"The component report reads PyTorch's values from {RelativeDirectory} under the repository root, but {directory} does not exist.");
        }

        return new PyTorchFixtures(directory);
    }

    /// <summary>A list of numbers.</summary>
    public static double[] Vector(JsonNode node) => [.. node.AsArray().Select(v => v!.GetValue<double>())];

    /// <summary>A list of rows, as a matrix.</summary>
    public static Matrix<double> Matrix(JsonNode node) =>
        Matrix<double>.Build.DenseOfRowArrays(node.AsArray().Select(row => Vector(row!)));

    /// <summary>A list of numbers, as a 1 × n matrix.</summary>
    public static Matrix<double> Row(JsonNode node) => Matrix<double>.Build.DenseOfRowArrays(Vector(node));

    private static string FindRoot()
    {
        string[] starts = [Environment.CurrentDirectory, AppContext.BaseDirectory];
        foreach (string start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NeuralNet.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(string.Format(
            CultureInfo.InvariantCulture,
            "The component report reads PyTorch's values from {0} under the repository root (the directory holding NeuralNet.sln), but there is no NeuralNet.sln above {1} nor above {2}; run it from the repository or pass the root after --component-report.",
            RelativeDirectory,
            starts[0],
            starts[1]));
    }

    private JsonNode Read(string name)
    {
        string path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The component report needs PyTorch's values in {path}, which does not exist.", path);
        }

        return JsonNode.Parse(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} holds no JSON value.");
    }
}
