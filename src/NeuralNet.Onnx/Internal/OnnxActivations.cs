namespace NeuralNet.Onnx.Internal;

/// <summary>
/// The activations NeuralNet writes to ONNX and reads back, by their names in NeuralNet's component registry: the one
/// table the exporter and the importer share. An activation registered under another name has no ONNX form here,
/// and export names it in a <see cref="NotSupportedException"/>.
/// </summary>
/// <remarks>
/// Hyper-parameters travel through the activation's configuration: leaky_relu's <c>slope</c> is LeakyRelu's
/// <c>alpha</c>, elu's <c>alpha</c> Elu's. SiLU and, below opset 20, both GELUs have no operator of their own: they
/// are written as small graphs of elementwise nodes (<see cref="Composites"/>), the forms PyTorch writes, which
/// import recognises as a whole.
/// </remarks>
internal static class OnnxActivations
{
    /// <summary>The opset that defines <c>Gelu</c> (exact, or with <c>approximate="tanh"</c>).</summary>
    public const int GeluOpset = 20;

    private static readonly Dictionary<string, string> OperatorByName = new(StringComparer.Ordinal)
    {
        ["relu"] = "Relu",
        ["leaky_relu"] = "LeakyRelu",
        ["sigmoid"] = "Sigmoid",
        ["tanh"] = "Tanh",
        ["softmax"] = "Softmax",
        ["elu"] = "Elu",
        ["selu"] = "Selu",
        ["softplus"] = "Softplus",
    };

    private static readonly Dictionary<string, string> NameByOperator = OperatorByName.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The activations written as a graph of elementwise nodes, by registered name, with what that graph computes.</summary>
    public static IReadOnlyDictionary<string, string> Composites { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["silu"] = "Mul(x, Sigmoid(x))",
        ["gelu"] = "Gelu, or below opset 20 0.5·x·(1 + Erf(x/√2))",
        ["gelu_tanh"] = "Gelu approximate=\"tanh\", or below opset 20 0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))",
    };

    /// <summary>The registered names of the activations with an ONNX form here.</summary>
    public static IEnumerable<string> Names => OperatorByName.Keys.Concat(Composites.Keys);

    /// <summary>The registered name of the activation an ONNX operator computes, or null when it is not an activation NeuralNet reads.</summary>
    public static string? NameOf(string opType) => NameByOperator.GetValueOrDefault(opType);

    /// <summary>The ONNX operator of the activation registered as <paramref name="name"/>, or null when it has none of its own here.</summary>
    public static string? OperatorOf(string name) => OperatorByName.GetValueOrDefault(name);
}
