using System.Numerics;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;
using Xunit.Abstractions;

namespace NeuralNet.Tests.UpdateRules;

/// <summary>
/// Gradient clipping by global norm and by value: the clipped gradients against PyTorch's <c>clip_grad_norm_</c> and
/// <c>clip_grad_value_</c> on fixed gradients (Fixtures/pytorch/training.json), a training step with clipping against
/// the same step done by hand (so also that a plain step does not fuse while clipping is on), and the options' checks.
/// </summary>
public class GradientClippingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("float64_clips", 1e-15)]
    [InlineData("float64_keeps", 0)]
    [InlineData("float32_clips", 1e-7)]
    public void Clipping_by_global_norm_matches_PyTorch_clip_grad_norm(string record, double bound)
    {
        JsonNode reference = PyTorchReference.Training["clip_norm"]![record]!;
        double limit = reference["limit"]!.GetValue<double>();
        double worst = record.StartsWith("float32", StringComparison.Ordinal)
            ? Clip<float>(parameters => GradientClipping.ByNorm(parameters, limit), reference, out double norm)
            : Clip<double>(parameters => GradientClipping.ByNorm(parameters, limit), reference, out norm);

        output.WriteLine($"{record}: largest gradient difference {worst:G3}; total norm {norm:R} against PyTorch's {reference["total_norm"]!.GetValue<double>():R}");
        worst.Should().BeLessThanOrEqualTo(bound);
        PyTorchReference.Difference(norm, reference["total_norm"]!.GetValue<double>()).Should().BeLessThanOrEqualTo(record.StartsWith("float32", StringComparison.Ordinal) ? 1e-7 : 1e-15);
    }

    [Theory]
    [InlineData("float64")]
    [InlineData("float32")]
    public void Clipping_by_value_matches_PyTorch_clip_grad_value_exactly(string record)
    {
        JsonNode reference = PyTorchReference.Training["clip_value"]![record]!;
        double limit = reference["limit"]!.GetValue<double>();
        double worst = record == "float32"
            ? Clip<float>(parameters => { GradientClipping.ByValue(parameters, limit); return 0; }, reference, out _)
            : Clip<double>(parameters => { GradientClipping.ByValue(parameters, limit); return 0; }, reference, out _);

        worst.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_training_step_with_clipping_equals_clip_then_update_by_hand_and_does_not_fuse(bool byValue)
    {
        var random = new Random(41);
        Matrix<double> x = TestData.RandomMatrix(random, 12, 5);
        int[] labels = TestData.Interleaved(12, 3);
        Network<double> fitted = NewNetwork();
        Network<double> byHand = NewNetwork();
        const double Limit = 0.05;
        var options = new TrainingOptions
        {
            Epochs = 1,
            LearningRate = 0.3,
            GradientDescent = new BatchGradientDescent(),
            UpdateRule = new Plain(),
            ClipGradientNorm = byValue ? null : Limit,
            ClipGradientValue = byValue ? Limit : null,
        };

        fitted.Fit(x, labels, options);
        byHand.Backpropagate(x, TestData.OneHot(labels, 3));
        double[][] raw = [.. byHand.Parameters.Select(p => p.Gradient.ToColumnMajorArray())];
        double norm = Math.Sqrt(raw.Sum(g => g.Sum(v => v * v)));
        norm.Should().BeGreaterThan(Limit, "the limit must be low enough to clip");
        foreach (Parameter<double> parameter in byHand.Parameters)
        {
            parameter.Gradient.MapInplace(g => byValue ? Math.Clamp(g, -Limit, Limit) : g * (Limit / (norm + 1e-6)));
        }

        new ParameterUpdater<double>(new Plain(), byHand.Parameters).Update(0.3);

        for (int p = 0; p < fitted.Parameters.Count; p++)
        {
            double[] actual = fitted.Parameters[p].Value.ToColumnMajorArray();
            double[] expected = byHand.Parameters[p].Value.ToColumnMajorArray();
            for (int i = 0; i < actual.Length; i++)
            {
                actual[i].Should().BeApproximately(expected[i], 1e-15, "parameter {0} entry {1}", p, i);
            }

            // A fused step never writes the gradient; with clipping every parameter's gradient is there, clipped.
            fitted.Parameters[p].Gradient.ToColumnMajorArray().Should().Equal(byHand.Parameters[p].Gradient.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-17);
            fitted.Parameters[p].Gradient.Enumerate().Any(g => g != 0).Should().BeTrue("{0} must not have taken a fused step", fitted.Parameters[p]);
        }
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Fit_rejects_a_clip_norm_or_value_that_is_not_positive_and_finite(double limit, string shown)
    {
        Network<double> network = NewNetwork();
        Matrix<double> x = TestData.RandomMatrix(new Random(42), 6, 5);
        int[] labels = TestData.Interleaved(6, 3);

        Action byNorm = () => network.Fit(x, labels, new TrainingOptions { ClipGradientNorm = limit });
        Action byValue = () => network.Fit(x, labels, new TrainingOptions { ClipGradientValue = limit });

        byNorm.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*ClipGradientNorm must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("ClipGradientNorm");
        byValue.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*ClipGradientValue must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("ClipGradientValue");
    }

    /// <summary>Clips the fixture's gradients (those of its third step) and returns the largest difference from PyTorch's.</summary>
    private static double Clip<T>(Func<IReadOnlyList<Parameter<T>>, double> clip, JsonNode reference, out double norm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonNode gradients = PyTorchReference.Training["gradients"]![2]!;
        Parameter<T> weight = WithGradient<T>(PyTorchReference.Matrix(gradients["weight"]!));
        Parameter<T> bias = WithGradient<T>(Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(gradients["bias"]!)));
        norm = clip([weight, bias]);
        return Math.Max(
            Largest(weight.Gradient, PyTorchReference.Matrix(reference["weight"]!)),
            Largest(bias.Gradient, Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(reference["bias"]!))));
    }

    private static Parameter<T> WithGradient<T>(Matrix<double> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameter = new Parameter<T>("p", gradient.RowCount, gradient.ColumnCount);
        parameter.AddGradient([.. gradient.ToColumnMajorArray().Select(T.CreateChecked)]);
        return parameter;
    }

    private static double Largest<T>(Matrix<T> actual, Matrix<double> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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

    private static Network<double> NewNetwork()
        => Network.Sequential<double>(5).Dense(6, Activation.Tanh).Dense(4, Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 8);
}
