using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// PyTorch's values for fixed inputs, from the JSON files Fixtures/pytorch/make_fixtures.py writes with Debian's
/// python3-torch: the tests read them and never run Python.
/// </summary>
internal static class PyTorchReference
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");

    /// <summary>activations.json: per precision ("float64", "float32") and activation, input, value and derivative.</summary>
    public static JsonNode Activations { get; } = Load("activations.json");

    /// <summary>losses.json: per loss, output, target, value and gradient.</summary>
    public static JsonNode Losses { get; } = Load("losses.json");

    /// <summary>layers.json: the fixed batch, γ, β and upstream gradient, and per layer and mode PyTorch's outputs and gradients.</summary>
    public static JsonNode Layers { get; } = Load("layers.json");
    /// <summary>cnn.json (make_cnn_fixtures.py): convolution and pooling cases and a small CNN, with outputs and gradients.</summary>
    public static JsonNode Cnn { get; } = Load("cnn.json");

    /// <summary>training.json: AdamW steps, gradient clipping, warm-up and reduce-on-plateau rates.</summary>
    public static JsonNode Training { get; } = Load("training.json");

    /// <summary>A list of numbers.</summary>
    public static double[] Vector(JsonNode node) => [.. node.AsArray().Select(v => v!.GetValue<double>())];

    /// <summary>A list of rows, as a matrix.</summary>
    public static Matrix<double> Matrix(JsonNode node) =>
        Matrix<double>.Build.DenseOfRowArrays(node.AsArray().Select(row => Vector(row!)));

    /// <summary><c>|actual − expected| / max(1, |expected|)</c>: relative for large values, absolute near 0.</summary>
    public static double Difference(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));

    private static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name)))!;
}
