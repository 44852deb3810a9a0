namespace NeuralNet.Onnx.Internal;

/// <summary>Identifiers shared by the writer and the reader.</summary>
internal static class OnnxNames
{
    /// <summary>The default operator-set domain; ONNX also accepts its long name <see cref="DefaultDomainAlias"/>.</summary>
    public const string DefaultDomain = "";

    /// <summary>The long name of the default operator-set domain.</summary>
    public const string DefaultDomainAlias = "ai.onnx";

    /// <summary>Metadata key under which the writer records the network's loss, so that an import can restore it.</summary>
    public const string LossKey = "neuralnet.loss";

    /// <summary>
    /// Metadata key under which the writer records what the graph outputs, <see cref="PredictionsOutput"/> or
    /// <see cref="LogitsOutput"/>: a recorded fused loss is restored only when the graph still ends that way.
    /// </summary>
    public const string OutputKey = "neuralnet.output";

    /// <summary>Metadata key under which the writer records the network's feature names, as a JSON array of strings.</summary>
    public const string FeatureNamesKey = "neuralnet.feature_names";

    /// <summary>Metadata key under which the writer records the network's class names, as a JSON array of strings.</summary>
    public const string ClassNamesKey = "neuralnet.class_names";

    /// <summary>The graph ends with what <c>Predict</c> returns.</summary>
    public const string PredictionsOutput = "predictions";

    /// <summary>The graph ends with what <c>Infer</c> returns.</summary>
    public const string LogitsOutput = "logits";

    /// <summary>Whether <paramref name="domain"/> names the default ONNX operator set.</summary>
    public static bool IsDefaultDomain(string domain) => domain is DefaultDomain or DefaultDomainAlias;
}
