using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.UpdateRules;
using static NeuralNet.Benchmarks.ComponentTorchComparison;

namespace NeuralNet.Benchmarks;

/// <summary>
/// AdamW and gradient clipping against PyTorch's committed steps (training.json), as AdamWTests and
/// GradientClippingTests run them: the largest absolute difference of the parameters after each step, or of the
/// clipped gradients, in float64 and float32.
/// </summary>
internal sealed class ComponentStepComparison(PyTorchFixtures fixtures, List<string> notes)
{
    /// <summary>AdamW: the weights and bias after each of the fixture's five steps, in each record of a precision.</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) AdamW()
    {
        JsonNode records = fixtures.Training["adamw"]!;
        double float64 = 0;
        foreach (string record in new[] { "float64", "float64_decay_0.5" })
        {
            double difference = AdamWSteps<double>(records[record]!);
            notes.Add($"AdamW, record `{record}`: largest difference over the five steps {Format(difference)}.");
            float64 = Math.Max(float64, difference);
        }

        return (Format(float64), "n/a", Format(AdamWSteps<float>(records["float32"]!)), "n/a");
    }

    /// <summary>Clipping by global norm: the clipped gradients (and the total norm) in each record of a precision.</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) ClipByNorm()
    {
        JsonNode records = fixtures.Training["clip_norm"]!;
        double float64 = 0;
        foreach (string record in new[] { "float64_clips", "float64_keeps" })
        {
            float64 = Math.Max(float64, Clip<double>(records[record]!, byNorm: true, record));
        }

        return (Format(float64), "n/a", Format(Clip<float>(records["float32_clips"]!, byNorm: true, "float32_clips")), "n/a");
    }

    /// <summary>Clipping by value: the clipped gradients in each precision.</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) ClipByValue()
    {
        JsonNode records = fixtures.Training["clip_value"]!;
        return (Format(Clip<double>(records["float64"]!, byNorm: false, "float64")), "n/a", Format(Clip<float>(records["float32"]!, byNorm: false, "float32")), "n/a");
    }

    private double AdamWSteps<T>(JsonNode reference)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new AdamW(
            reference["beta1"]!.GetValue<double>(),
            reference["beta2"]!.GetValue<double>(),
            reference["epsilon"]!.GetValue<double>(),
            reference["weight_decay"]!.GetValue<double>());
        JsonNode training = fixtures.Training;
        Parameter<T> weight = NewParameter<T>(PyTorchFixtures.Matrix(training["weight"]!), decays: true);
        Parameter<T> bias = NewParameter<T>(PyTorchFixtures.Row(training["bias"]!), decays: false);
        var updater = new ParameterUpdater<T>(rule, [weight, bias]);
        double[] rates = PyTorchFixtures.Vector(training["rates"]!);
        JsonArray gradients = training["gradients"]!.AsArray();
        JsonArray steps = reference["steps"]!.AsArray();
        double worst = 0;
        for (int s = 0; s < rates.Length; s++)
        {
            Copy(PyTorchFixtures.Matrix(gradients[s]!["weight"]!), weight.Gradient);
            Copy(PyTorchFixtures.Row(gradients[s]!["bias"]!), bias.Gradient);
            updater.Update(T.CreateChecked(rates[s]));
            worst = Math.Max(worst, Largest(weight.Value, PyTorchFixtures.Matrix(steps[s]!["weight"]!)));
            worst = Math.Max(worst, Largest(bias.Value, PyTorchFixtures.Row(steps[s]!["bias"]!)));
        }

        return worst;
    }

    /// <summary>Clips the gradients of the fixture's third step, as GradientClippingTests does, against PyTorch's clipped ones.</summary>
    private double Clip<T>(JsonNode reference, bool byNorm, string record)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonNode gradients = fixtures.Training["gradients"]![2]!;
        var weight = new Parameter<T>("weight", 2, 3);
        var bias = new Parameter<T>("bias", 1, 3);
        Copy(PyTorchFixtures.Matrix(gradients["weight"]!), weight.Gradient);
        Copy(PyTorchFixtures.Row(gradients["bias"]!), bias.Gradient);
        double limit = reference["limit"]!.GetValue<double>();
        double norm = 0;
        if (byNorm)
        {
            norm = GradientClipping.ByNorm<T>([weight, bias], limit);
        }
        else
        {
            GradientClipping.ByValue<T>([weight, bias], limit);
        }

        double worst = Math.Max(
            Largest(weight.Gradient, PyTorchFixtures.Matrix(reference["weight"]!)),
            Largest(bias.Gradient, PyTorchFixtures.Row(reference["bias"]!)));
        string what = byNorm ? "Clipping by norm" : "Clipping by value";
        string total = byNorm ? $", total norm {Format(Math.Abs(norm - reference["total_norm"]!.GetValue<double>()))}" : string.Empty;
        notes.Add($"{what}, record `{record}` (limit {limit.ToString(CultureInfo.InvariantCulture)}): clipped gradients {Format(worst)}{total}.");
        return worst;
    }

    private static Parameter<T> NewParameter<T>(Matrix<double> values, bool decays)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameter = new Parameter<T>(decays ? "weight" : "bias", values.RowCount, values.ColumnCount, decays);
        Copy(values, parameter.Value);
        return parameter;
    }
}
