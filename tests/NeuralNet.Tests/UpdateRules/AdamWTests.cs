using System.Numerics;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Tests.TestSupport;
using NeuralNet.UpdateRules;
using Xunit.Abstractions;

namespace NeuralNet.Tests.UpdateRules;

/// <summary>
/// AdamW against PyTorch's <c>torch.optim.AdamW</c> on fixed weights and gradients (Fixtures/pytorch/training.json):
/// a decaying weight matrix and a bias that does not decay (in PyTorch, a group with weight_decay 0), five steps at
/// changing rates; its registration and its preconditions.
/// </summary>
public class AdamWTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("float64", 1e-15)]
    [InlineData("float64_decay_0.5", 1e-15)]
    [InlineData("float32", 1e-6)]
    public void Five_steps_match_PyTorch_AdamW(string record, double bound)
    {
        JsonNode reference = PyTorchReference.Training["adamw"]![record]!;
        var rule = new AdamW(
            reference["beta1"]!.GetValue<double>(),
            reference["beta2"]!.GetValue<double>(),
            reference["epsilon"]!.GetValue<double>(),
            reference["weight_decay"]!.GetValue<double>());
        double worst = record.StartsWith("float32", StringComparison.Ordinal)
            ? Run<float>(rule, reference)
            : Run<double>(rule, reference);

        output.WriteLine($"{record}: largest |NeuralNet − PyTorch| / max(1, |PyTorch|) over five steps: {worst:G3}");
        worst.Should().BeLessThanOrEqualTo(bound);
    }

    [Fact]
    public void Decay_shrinks_the_weights_by_eta_lambda_before_the_Adam_step_and_leaves_biases_alone()
    {
        // With g = 0 the Adam step is 0/(0 + ε) = 0, so one step is the decay alone: θ·(1 − ηλ) = 2·(1 − 0.1·0.5) = 1.9.
        var weight = new Parameter<double>("w", 1, 1);
        var bias = new Parameter<double>("b", 1, 1, decays: false);
        weight.Value[0, 0] = 2;
        bias.Value[0, 0] = 2;
        new ParameterUpdater<double>(new AdamW(weightDecay: 0.5), [weight, bias]).Update(0.1);

        weight.Value[0, 0].Should().Be(2 * (1 - (0.1 * 0.5)));
        bias.Value[0, 0].Should().Be(2);
    }

    [Fact]
    public void Is_registered_as_adamw_with_its_hyper_parameters()
    {
        var rule = new AdamW(0.8, 0.95, 1e-7, 0.2);
        UpdateRule rebuilt = ComponentRegistry.UpdateRules.Create("adamw", rule.GetConfig());

        rebuilt.Should().BeOfType<AdamW>().Which.IsSameRuleAs(rule).Should().BeTrue();
        rebuilt.IsSameRuleAs(new AdamW(0.8, 0.95, 1e-7, 0.1)).Should().BeFalse("the weight decay differs");
        rebuilt.IsSameRuleAs(new Adam(0.8, 0.95, 1e-7)).Should().BeFalse("Adam is another rule");
        rule.ToString().Should().Be("adamw(beta1=0.8, beta2=0.95, epsilon=1E-07, weight_decay=0.2)");
        new AdamW().GetConfig().GetDouble("weight_decay").Should().Be(0.01);
    }

    [Theory]
    [InlineData(1.0, 0.999, 1e-8, 0.01, "beta1", "1")]
    [InlineData(0.9, -0.1, 1e-8, 0.01, "beta2", "-0.1")]
    [InlineData(0.9, 0.999, 0.0, 0.01, "epsilon", "0")]
    [InlineData(0.9, 0.999, 1e-8, -0.5, "weightDecay", "-0.5")]
    [InlineData(0.9, 0.999, 1e-8, double.PositiveInfinity, "weightDecay", "Infinity")]
    public void Out_of_range_hyper_parameters_throw_naming_the_expected_range_and_the_value(double beta1, double beta2, double epsilon, double weightDecay, string name, string value)
    {
        Action act = () => _ = new AdamW(beta1, beta2, epsilon, weightDecay);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name)
            .WithMessage($"*{name} must be*but got {value}*");
    }

    /// <summary>Runs the five steps and returns the largest difference from PyTorch's weights and bias after each.</summary>
    private static double Run<T>(AdamW rule, JsonNode reference)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonNode fixture = PyTorchReference.Training;
        Parameter<T> weight = NewParameter<T>("w", PyTorchReference.Matrix(fixture["weight"]!), decays: true);
        Parameter<T> bias = NewParameter<T>("b", Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(fixture["bias"]!)), decays: false);
        var updater = new ParameterUpdater<T>(rule, [weight, bias]);
        double[] rates = PyTorchReference.Vector(fixture["rates"]!);
        JsonArray gradients = fixture["gradients"]!.AsArray();
        JsonArray steps = reference["steps"]!.AsArray();
        double worst = 0;
        for (int s = 0; s < rates.Length; s++)
        {
            Set(weight.Gradient, PyTorchReference.Matrix(gradients[s]!["weight"]!));
            Set(bias.Gradient, Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(gradients[s]!["bias"]!)));
            updater.Update(T.CreateChecked(rates[s]));
            worst = Math.Max(worst, Largest(weight.Value, PyTorchReference.Matrix(steps[s]!["weight"]!)));
            worst = Math.Max(worst, Largest(bias.Value, Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(steps[s]!["bias"]!))));
        }

        updater.StateOf(weight).Step.Should().Be(rates.Length);
        return worst;
    }

    private static Parameter<T> NewParameter<T>(string name, Matrix<double> values, bool decays)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameter = new Parameter<T>(name, values.RowCount, values.ColumnCount, decays);
        Set(parameter.Value, values);
        return parameter;
    }

    private static void Set<T>(Matrix<T> target, Matrix<double> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < values.RowCount; r++)
        {
            for (int c = 0; c < values.ColumnCount; c++)
            {
                target[r, c] = T.CreateChecked(values[r, c]);
            }
        }
    }

    private static double Largest<T>(Matrix<T> actual, Matrix<double> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double worst = 0;
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                worst = Math.Max(worst, PyTorchReference.Difference(double.CreateChecked(actual[r, c]), expected[r, c]));
            }
        }

        return worst;
    }
}
