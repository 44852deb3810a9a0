using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The largest absolute difference between <c>Predict</c> and ONNX Runtime running the exported network, on the
/// networks, inputs and opsets of the ONNX tests (ToolkitActivationOnnxTests, ToolkitLayerOnnxTests and their loss
/// test), in float32 and, where ONNX Runtime's CPU provider has the kernels, in float64.
/// </summary>
internal static partial class ComponentOnnxComparison
{
    /// <summary>The opsets ToolkitActivationOnnxTests exports at.</summary>
    private static readonly int[] ActivationOpsets = [OnnxExportOptions.MinimumOpsetVersion, 17, 20, OnnxExportOptions.MaximumOpsetVersion];

    /// <summary>The opsets ToolkitLayerOnnxTests exports at.</summary>
    private static readonly int[] LayerOpsets = [OnnxExportOptions.MinimumOpsetVersion, 16, 17, OnnxExportOptions.MaximumOpsetVersion];

    /// <summary>
    /// ToolkitActivationOnnxTests' network: 6 → Dense(10, activation) → Dense(3), seed 9, every parameter redrawn
    /// uniformly from [−4, 4) by <c>new Random(4)</c>, on 40 rows of inputs 2·(2·N(0, 1)) (seed 12).
    /// </summary>
    public static (string Float, string Double) ForActivation(Activation activation) => (
        Compare(ActivationNetwork<float>(activation), ActivationInputs<float>(), ActivationOpsets),
        Compare(ActivationNetwork<double>(activation), ActivationInputs<double>(), ActivationOpsets));

    /// <summary>
    /// ToolkitLayerOnnxTests' network with only <paramref name="layer"/> of its three kept, where the test places it:
    /// 6 → Dense(8, ReLU) → [dropout 0.25 or batch normalisation] → Dense(5, tanh) → [layer normalisation] → Dense(3),
    /// seed 3, trained 5 epochs in mini-batches of 10 (seed 2) on 40 rows of 2·N(0, 1) (seeds 12 and 13).
    /// </summary>
    /// <param name="layer">"dropout", "batch_normalization" or "layer_normalization".</param>
    public static (string Float, string Double) ForLayer(string layer) => (
        Compare(LayerNetwork<float>(layer), Normal<float>(40, 6, 12), LayerOpsets),
        Compare(LayerNetwork<double>(layer), Normal<double>(40, 6, 12), LayerOpsets));

    /// <summary>
    /// ToolkitActivationOnnxTests' loss network: 6 → Dense(5, GELU) → Dense(3), seed 2, as initialised, on the activation
    /// inputs; the graph holds what Predict computes, the loss's output activation, not the loss.
    /// </summary>
    public static (string Float, string Double) ForLoss(Loss loss) => (
        Compare(Network.Sequential<float>(6).Dense(5, NeuralNet.Activations.Activation.Gelu).Dense(3).Build(loss, seed: 2), ActivationInputs<float>(), [OnnxExportOptions.MinimumOpsetVersion]),
        Compare(Network.Sequential<double>(6).Dense(5, NeuralNet.Activations.Activation.Gelu).Dense(3).Build(loss, seed: 2), ActivationInputs<double>(), [OnnxExportOptions.MinimumOpsetVersion], " in the hidden GELU layer"));

    /// <summary>
    /// The largest |ONNX Runtime − Predict| over the opsets, with the opset it came at and the largest |output|; or,
    /// when ONNX Runtime's CPU provider cannot run the graph, the operators it has no kernel for.
    /// </summary>
    private static string Compare<T>(Network<T> network, Matrix<T> inputs, int[] opsets, string where = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> expected = network.Predict(inputs);
        double scale = expected.Enumerate().Max(v => Math.Abs(double.CreateChecked(v)));
        double worst = -1;
        int worstOpset = 0;
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (int opset in opsets)
        {
            byte[] model = OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset });
            InferenceSession session;
            try
            {
                session = new InferenceSession(model);
            }
            catch (OnnxRuntimeException e) when (MissingKernel().Match(e.Message) is { Success: true } match)
            {
                missing.Add($"{match.Groups[1].Value} (opset {opset})");
                continue;
            }

            using (session)
            {
                double difference = MaxAbsoluteDifference(Run(session, inputs), expected);
                if (difference > worst)
                {
                    (worst, worstOpset) = (difference, opset);
                }
            }
        }

        string ran = worst < 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, "{0} (opset {1}; max abs output {2:G3})", ComponentTorchComparison.Format(worst), worstOpset, scale);
        string notRun = missing.Count == 0 ? string.Empty : "no ORT kernel: " + string.Join(", ", missing) + where;
        return string.Join("; ", new[] { ran, notRun }.Where(s => s.Length > 0));
    }

    private static Network<T> ActivationNetwork<T>(Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Network.Sequential<T>(6).Dense(10, activation).Dense(3).Build(NeuralNet.Losses.Loss.MeanSquaredError, seed: 9);
        var random = new Random(4);
        foreach (Parameter<T> parameter in network.Parameters)
        {
            // The test's weights of up to ±4 on inputs of up to about ±8: pre-activations past softplus's threshold and deep into GELU's tails.
            parameter.Value.MapInplace(_ => T.CreateChecked((random.NextDouble() * 8) - 4));
        }

        return network;
    }

    private static Network<T> LayerNetwork<T>(string layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network.Sequential<T>(6).Dense(8, NeuralNet.Activations.Activation.Relu);
        builder = layer switch
        {
            "dropout" => builder.Dropout(0.25),
            "batch_normalization" => builder.BatchNormalization(),
            "layer_normalization" => builder,
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "Expected dropout, batch_normalization or layer_normalization."),
        };
        builder = builder.Dense(5, NeuralNet.Activations.Activation.Tanh);
        builder = layer == "layer_normalization" ? builder.LayerNormalization() : builder;
        Network<T> network = builder.Dense(3).Build(NeuralNet.Losses.Loss.MeanSquaredError, seed: 3);
        network.Fit(Normal<T>(40, 6, 12), Normal<T>(40, 3, 13), new TrainingOptions { Epochs = 5, GradientDescent = new MiniBatchGradientDescent(10), Seed = 2 });
        return network;
    }

    private static Matrix<T> ActivationInputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Normal<T>(40, 6, 12).Map(v => v * T.CreateChecked(2));

    /// <summary>Architectures.Inputs of the ONNX tests: 2·N(0, 1) by Box–Muller from <c>new Random(seed)</c>, column by column.</summary>
    private static Matrix<T> Normal<T>(int rows, int columns, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(2 * (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))));
    }

    private static Matrix<T> Run<T>(InferenceSession session, Matrix<T> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs.ToRowMajorArray(), [inputs.RowCount, inputs.ColumnCount]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, ["input"], [input], ["output"]);
        long[] shape = results[0].GetTensorTypeAndShape().Shape;
        if (shape is not [long rows, long columns] || rows != inputs.RowCount)
        {
            throw new InvalidOperationException($"Expected ONNX Runtime to return {inputs.RowCount} rows × outputs, but it returned shape [{string.Join(", ", shape)}].");
        }

        T[] values = results[0].GetTensorDataAsSpan<T>().ToArray();
        return Matrix<T>.Build.Dense((int)rows, (int)columns, (i, j) => values[(i * (int)columns) + j]);
    }

    private static double MaxAbsoluteDifference<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        => a.Enumerate().Zip(b.Enumerate()).Max(p => Math.Abs(double.CreateChecked(p.First) - double.CreateChecked(p.Second)));

    /// <summary>ONNX Runtime's message when its CPU provider has no kernel for a node's operator and type.</summary>
    [GeneratedRegex(@"Could not find an implementation for (\w+)\(")]
    private static partial Regex MissingKernel();
}
