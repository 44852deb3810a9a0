using System.Globalization;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Prints, as a markdown table, one row per component of the practitioner's toolkit: its gradient-check error
/// (<see cref="ComponentGradientChecks"/>), its largest difference from PyTorch's committed values
/// (<see cref="ComponentTorchComparison"/>) and from ONNX Runtime on its exported network
/// (<see cref="ComponentOnnxComparison"/>), on the inputs and seeds the tests use.
/// Run with <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --component-report [repository root]</c>.
/// </summary>
internal static class ComponentReport
{
    private const string NotApplicable = "n/a";

    public static void Run(string? repositoryRoot)
    {
        var fixtures = PyTorchFixtures.Load(repositoryRoot);
        var notes = new List<string>();
        var torch = new ComponentTorchComparison(fixtures, notes);
        var steps = new ComponentStepComparison(fixtures, notes);
        double[] classWeights = PyTorchFixtures.Vector(fixtures.Losses["class_weights"]!);
        var weighted = Loss.WeightedSoftmaxCrossEntropy(classWeights);
        Microsoft.ML.OnnxRuntime.OrtEnv ort = Microsoft.ML.OnnxRuntime.OrtEnv.Instance();

        var rows = new List<string[]>
        {
            ActivationRow("ELU", Activation.Elu(), Activation.Elu(0.75), torch.ForActivation("ELU", ("elu", Activation.Elu()), ("elu_alpha_0.5", Activation.Elu(0.5)), ("elu_alpha_2", Activation.Elu(2)))),
            ActivationRow("SELU", Activation.Selu, Activation.Selu, torch.ForActivation("SELU", ("selu", Activation.Selu))),
            ActivationRow("GELU (exact)", Activation.Gelu, Activation.Gelu, torch.ForActivation("GELU (exact)", ("gelu", Activation.Gelu))),
            ActivationRow("GELU (tanh)", Activation.GeluTanh, Activation.GeluTanh, torch.ForActivation("GELU (tanh)", ("gelu_tanh", Activation.GeluTanh))),
            ActivationRow("SiLU", Activation.Silu, Activation.Silu, torch.ForActivation("SiLU", ("silu", Activation.Silu))),
            ActivationRow("Softplus", Activation.Softplus, Activation.Softplus, torch.ForActivation("Softplus", ("softplus", Activation.Softplus))),
            Row(
                "Huber",
                ComponentGradientChecks.ForLoss(Loss.Huber(), outputs: 3, regression: true),
                torch.ForLoss("Huber", ("huber", Loss.Huber(), torch.LossTarget("huber"), 1), ("huber_delta_0.5", Loss.Huber(0.5), torch.LossTarget("huber_delta_0.5"), 1), ("huber_delta_2.5", Loss.Huber(2.5), torch.LossTarget("huber_delta_2.5"), 1)),
                ComponentOnnxComparison.ForLoss(Loss.Huber(0.5))),
            Row(
                "Mean absolute error",
                ComponentGradientChecks.ForLoss(Loss.MeanAbsoluteError, outputs: 3, regression: true),
                torch.ForLoss("Mean absolute error", ("mean_absolute_error", Loss.MeanAbsoluteError, torch.LossTarget("mean_absolute_error"), 1)),
                ComponentOnnxComparison.ForLoss(Loss.MeanAbsoluteError)),
            Row(
                "Weighted softmax cross-entropy",
                ComponentGradientChecks.ForLoss(weighted, outputs: classWeights.Length, regression: false),
                torch.ForLoss(
                    "Weighted softmax cross-entropy",
                    ("weighted_cross_entropy_classes", weighted, torch.LossTarget("weighted_cross_entropy_classes", "one_hot"), 1),
                    ("weighted_cross_entropy_soft_sum", weighted, torch.LossTarget("weighted_cross_entropy_soft_sum"), TotalWeight(torch.LossTarget("weighted_cross_entropy_soft_sum"), classWeights))),
                ComponentOnnxComparison.ForLoss(Loss.WeightedSoftmaxCrossEntropy([1.0, 2.0, 3.0]))),
            Row("Dropout", ComponentGradientChecks.ForLayer(b => b.Dropout(0.4)), torch.Dropout(), ComponentOnnxComparison.ForLayer("dropout")),
        };

        var (batchTraining, batchInference) = torch.BatchNormalization();
        rows.Add(Row("BatchNormalization (training)", ComponentGradientChecks.ForLayer(b => b.BatchNormalization()), batchTraining, (NotApplicable, NotApplicable)));
        rows.Add(Row("BatchNormalization (inference)", null, batchInference, ComponentOnnxComparison.ForLayer("batch_normalization")));
        rows.Add(Row("LayerNormalization", ComponentGradientChecks.ForLayer(b => b.LayerNormalization()), torch.LayerNormalization(), ComponentOnnxComparison.ForLayer("layer_normalization")));
        rows.Add(Row("AdamW", null, steps.AdamW(), (NotApplicable, NotApplicable)));
        rows.Add(Row("Gradient clipping by norm", null, steps.ClipByNorm(), (NotApplicable, NotApplicable)));
        rows.Add(Row("Gradient clipping by value", null, steps.ClipByValue(), (NotApplicable, NotApplicable)));

        Print(rows, notes, fixtures, ort.GetVersionString());
    }

    private static string[] ActivationRow(string name, Activation checkedActivation, Activation exported, (string, string, string, string) torch) =>
        Row(name, ComponentGradientChecks.ForActivation(checkedActivation), torch, ComponentOnnxComparison.ForActivation(exported));

    private static string[] Row(string name, double? gradientCheck, (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) torch, (string Float, string Double) onnx) =>
        [name, gradientCheck is { } error ? ComponentTorchComparison.Format(error) : NotApplicable, torch.DoubleValue, torch.DoubleGradient, torch.FloatValue, torch.FloatGradient, onnx.Float, onnx.Double];

    /// <summary>W = Σ_ij w_j·y_ij: PyTorch's summed soft-target loss divided by it is NeuralNet's weighted mean.</summary>
    private static double TotalWeight(MathNet.Numerics.LinearAlgebra.Matrix<double> soft, double[] weights) =>
        Enumerable.Range(0, soft.RowCount).Sum(i => Enumerable.Range(0, soft.ColumnCount).Sum(j => weights[j] * soft[i, j]));

    private static void Print(List<string[]> rows, List<string> notes, PyTorchFixtures fixtures, string ortVersion)
    {
        string torchVersion = fixtures.Activations["torch_version"]?.GetValue<string>() ?? "?";
        Console.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "Component report: NeuralNet backend {0}; PyTorch fixtures from {1} (torch {2}); ONNX Runtime {3}.",
            MatrixBackend.Current.Name,
            PyTorchFixtures.RelativeDirectory,
            torchVersion,
            ortVersion));
        Console.WriteLine();
        Console.WriteLine("| Component | Gradient check, max rel. error (float64) | PyTorch float64: value | PyTorch float64: gradient | PyTorch float32: value | PyTorch float32: gradient | ONNX Runtime float32: max abs diff | ONNX Runtime float64 |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string[] row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        Console.WriteLine();
        Console.WriteLine("Columns:");
        Console.WriteLine("- Gradient check: NetworkHealth.CheckGradients (float64 copy, training mode, 10 entries per parameter, seed 3) on a small float network holding the component, set up as NetworkHealthTests does (inputs new Random(9), network seed 4, trained 3 epochs); per entry |a − n| / max(|a| + |n|, 1e-4), the largest over all layers. n/a: update rules and clipping have no gradient of their own, and CheckGradients differentiates the training-mode loss only.");
        Console.WriteLine("- PyTorch: largest |NeuralNet − PyTorch| on the committed fixtures' inputs. Value: the function's value, the layer's output, the loss's value, the parameters after each of AdamW's five steps, or the clipped gradients. Gradient: the derivative (upstream gradient of ones), the loss's gradient with respect to the output, or the layer's input, γ and β gradients for the fixture's upstream gradient. –: the fixtures hold float64 only for losses and layers.");
        Console.WriteLine("- ONNX Runtime: largest |ONNX Runtime − Predict| on the exported network of the ONNX tests, over their opsets (activations 13, 17, 20, 21; layers 13, 16, 17, 21; losses 13), with the first opset it came at and the largest |output| (the activation networks' outputs reach the hundreds on purpose). \"no ORT kernel\": ONNX Runtime's CPU provider has no kernel for that operator in that precision. Losses are not in the graph: it computes what Predict returns (identity for Huber and MAE, softmax for the cross-entropy) through a GELU hidden layer, whose Erf has no float64 kernel. ELU is exported with α 0.75 (as in the ONNX tests) and gradient-checked with α 1. Dropout leaves the inference graph. BatchNormalization is exported in inference mode only.");
        Console.WriteLine();
        Console.WriteLine("Per fixture record:");
        foreach (string note in notes)
        {
            Console.WriteLine("- " + note);
        }
    }
}
