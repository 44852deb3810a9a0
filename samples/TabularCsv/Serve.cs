using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using NeuralNet;

namespace TabularCsv;

/// <summary>Answers for one raw row (the measurements as the CSV file writes them) from the saved model and from its ONNX export.</summary>
public static class Serve
{
    /// <summary>The class name NeuralNet gives <paramref name="row"/>, and the one ONNX Runtime gives it.</summary>
    /// <param name="modelPath">The saved model.</param>
    /// <param name="onnxPath">Its ONNX export.</param>
    /// <param name="row">culmen (bill) length, culmen depth, flipper length (mm) and body mass (g), unscaled.</param>
    /// <returns>The two class names.</returns>
    public static (string NeuralNet, string OnnxRuntime) Predict(string modelPath, string onnxPath, float[] row)
    {
        Network<float> network = Network.Load<float>(modelPath);
        string label = network.PredictLabel(row);

        // ONNX Runtime is given the raw row too: the normalisation is in the graph, the class names in its metadata.
        using var session = new InferenceSession(onnxPath);
        string[] classNames = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["neuralnet.class_names"])!;
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        int served = TensorPrimitives.IndexOfMax(outputs[0].GetTensorDataAsSpan<float>());
        return (label, classNames[served]);
    }
}
