namespace NeuralNet.MLNet.Internal;

/// <summary>The names of the columns the trainers write, ML.NET's own where ML.NET has one.</summary>
internal static class Columns
{
    /// <summary>ML.NET's score column.</summary>
    public const string Score = "Score";

    /// <summary>ML.NET's predicted label column.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>ML.NET's probability column of binary classification.</summary>
    public const string Probability = "Probability";

    /// <summary>A working column: the copy of the features the ONNX model consumes (OnnxTransformer drops its inputs, and the user's features column must stay).</summary>
    public const string NetworkFeatures = "NeuralNet.Features";

    /// <summary>A working column: the index of the top class as the ONNX model gives it, a one-slot vector.</summary>
    public const string ClassIndexVector = "NeuralNet.ClassIndexVector";

    /// <summary>A working column: the index of the top class, mapped to the PredictedLabel key.</summary>
    public const string ClassIndex = "NeuralNet.ClassIndex";

    /// <summary>A working column: the label value of the top class, made a key for PredictedLabel.</summary>
    public const string ClassValue = "NeuralNet.ClassValue";

    /// <summary>A working column: the score as the ONNX model gives it, a one-slot vector (binary and regression).</summary>
    public const string ScoreVector = "NeuralNet.Score";

    /// <summary>A working column: the probability as the ONNX model gives it, a one-slot vector.</summary>
    public const string ProbabilityVector = "NeuralNet.Probability";

    /// <summary>A working column: the predicted label as the ONNX model gives it, a one-slot vector.</summary>
    public const string PredictedLabelVector = "NeuralNet.PredictedLabel";
}
