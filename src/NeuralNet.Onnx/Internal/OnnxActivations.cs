namespace NeuralNet.Onnx.Internal;

/// <summary>
/// The activations NeuralNet writes to ONNX and reads back, by their names in NeuralNet's component registry: the one
/// table the exporter and the importer share. An activation registered under another name has no ONNX operator here,
/// and export names it in a <see cref="NotSupportedException"/>.
/// </summary>
/// <remarks>Hyper-parameters travel through the activation's configuration: leaky_relu's <c>slope</c> is LeakyRelu's <c>alpha</c>.</remarks>
internal static class OnnxActivations
{
    private static readonly Dictionary<string, string> OperatorByName = new(StringComparer.Ordinal)
    {
        ["relu"] = "Relu",
        ["leaky_relu"] = "LeakyRelu",
        ["sigmoid"] = "Sigmoid",
        ["tanh"] = "Tanh",
        ["softmax"] = "Softmax",
    };

    private static readonly Dictionary<string, string> NameByOperator = OperatorByName.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The registered names of the activations with an ONNX operator here.</summary>
    public static IEnumerable<string> Names => OperatorByName.Keys;

    /// <summary>The registered name of the activation an ONNX operator computes, or null when it is not an activation NeuralNet reads.</summary>
    public static string? NameOf(string opType) => NameByOperator.GetValueOrDefault(opType);

    /// <summary>The ONNX operator of the activation registered as <paramref name="name"/>, or null when it has none here.</summary>
    public static string? OperatorOf(string name) => OperatorByName.GetValueOrDefault(name);
}
