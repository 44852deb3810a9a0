using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Layers;

/// <summary>Layer normalisation over each sample's features, with learnt γ and β, the same in both modes.</summary>
public class LayerNormalizationTests(ITestOutputHelper output)
{
    [Fact]
    public void Starts_with_gamma_one_and_beta_zero_which_do_not_decay()
    {
        var layer = new LayerNormalization<double>(3);

        layer.Gamma.Value.Enumerate().Should().AllSatisfy(v => v.Should().Be(1));
        layer.Beta.Value.Enumerate().Should().AllSatisfy(v => v.Should().Be(0));
        layer.Parameters.Should().AllSatisfy(p => p.Decays.Should().BeFalse("weight decay leaves γ and β alone"));
        layer.Epsilon.Should().Be(1e-5);
    }

    [Fact]
    public void Gradient_check()
    {
        var layer = new LayerNormalization<double>(5);
        TestData.RandomMatrix(new Random(11), 1, 5, 2).CopyTo(layer.Gamma.Value);
        TestData.RandomMatrix(new Random(12), 1, 5).CopyTo(layer.Beta.Value);
        Matrix<double> x = TestData.RandomMatrix(new Random(13), 4, 5, 3);
        Matrix<double> upstream = TestData.RandomMatrix(new Random(14), 4, 5);

        double error = LayerCheck.MaxError(layer, x, upstream);

        output.WriteLine($"layer normalization gradient check: max relative error {error:E2}");
        error.Should().BeLessThan(GradientCheck.Tolerance);
    }

    [Theory]
    [InlineData("layer_normalization", true)]
    [InlineData("layer_normalization_inference", false)]
    public void Matches_pytorch(string key, bool training)
    {
        var layer = new LayerNormalization<double>(4);
        LayerCheck.Set(layer.Gamma, "gamma");
        LayerCheck.Set(layer.Beta, "beta");
        Matrix<double> x = PyTorchReference.Matrix(PyTorchReference.Layers["input"]!);
        var fixture = PyTorchReference.Layers[key]!;

        Matrix<double> y = training ? layer.Forward(x).Clone() : layer.Infer(x);
        double difference = LayerCheck.MaxDifference(y, PyTorchReference.Matrix(fixture["output"]!));
        if (training)
        {
            Matrix<double> dx = layer.Backward(PyTorchReference.Matrix(PyTorchReference.Layers["upstream"]!));
            difference = Math.Max(difference, LayerCheck.MaxDifference(dx, PyTorchReference.Matrix(fixture["input_gradient"]!)));
            difference = Math.Max(difference, LayerCheck.MaxDifference(layer.Gamma.Gradient, Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(fixture["gamma_gradient"]!))));
            difference = Math.Max(difference, LayerCheck.MaxDifference(layer.Beta.Gradient, Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(fixture["beta_gradient"]!))));
        }

        output.WriteLine($"layer normalization ({(training ? "training" : "inference")}) vs PyTorch: largest difference {difference:E2}");
        difference.Should().BeLessThan(1e-12);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_value()
    {
        Action features = () => _ = new LayerNormalization<double>(0);
        Action epsilon = () => _ = new LayerNormalization<double>(3, epsilon: -1);

        features.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*features*0*");
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*epsilon*-1*");
    }
}
