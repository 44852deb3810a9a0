using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Layers;

/// <summary>Proves that Dense&lt;double&gt;.Backward is the exact derivative of Forward, for every activation.</summary>
public class DenseGradientTests
{
    private const int Inputs = 4;
    private const int Outputs = 3;
    private const int Samples = 5;

    // Keeps ReLU kinks further from every pre-activation than a nudge of 1e-6 can move it.
    private const double KinkMargin = 1e-3;

    private static readonly string[] Names = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"];

    public static TheoryData<string> ActivationNames => new(Names);

    public static TheoryData<string, string> ActivationsAndTargets
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string activation in Names)
            {
                foreach (string target in new[] { "input", "weights", "biases" })
                {
                    data.Add(activation, target);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ActivationsAndTargets))]
    public void Backward_matches_central_differences_of_the_sum_of_output_times_upstream_gradient(string activation, string target)
    {
        var random = new Random(1234);
        (Dense<double> layer, Matrix<double> x) = Setup(activation, random);
        Matrix<double> upstream = TestData.RandomMatrix(random, Samples, Outputs);

        // Backward adds into the gradients, so stale values must be cleared; garbage proves ZeroGradients clears it.
        layer.Weights.Gradient.MapInplace(_ => 7.0);
        layer.Biases.Gradient.MapInplace(_ => -3.0);
        layer.ZeroGradients();
        layer.Forward(x);
        Matrix<double> inputGradient = layer.Backward(upstream).Clone();

        (Matrix<double> analytic, Matrix<double> variable) = target switch
        {
            "input" => (inputGradient, x),
            "weights" => (layer.Weights.Gradient.Clone(), layer.Weights.Value),
            "biases" => (layer.Biases.Gradient.Clone(), layer.Biases.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Expected input, weights or biases."),
        };

        Matrix<double> numerical = GradientCheck.Numerical(() => layer.Forward(x), upstream, variable);

        GradientCheck.ShouldMatch(analytic, numerical, $"the {target} of a {activation} layer");
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Backward_adds_into_parameter_gradients_so_two_calls_give_twice_the_gradient(string activation)
    {
        var random = new Random(99);
        (Dense<double> layer, Matrix<double> x) = Setup(activation, random);
        Matrix<double> upstream = TestData.RandomMatrix(random, Samples, Outputs);

        layer.ZeroGradients();
        layer.Forward(x);
        Matrix<double> firstInputGradient = layer.Backward(upstream).Clone();
        Matrix<double> weightsOnce = layer.Weights.Gradient.Clone();
        Matrix<double> biasesOnce = layer.Biases.Gradient.Clone();
        Matrix<double> secondInputGradient = layer.Backward(upstream).Clone();

        weightsOnce.Enumerate().Max(Math.Abs).Should().BeGreaterThan(1e-3, "a zero gradient would double to itself");
        AssertClose(layer.Weights.Gradient, 2 * weightsOnce, "weight gradients accumulate");
        AssertClose(layer.Biases.Gradient, 2 * biasesOnce, "bias gradients accumulate");

        // dL/dX is a fresh result per call, not a running sum.
        AssertClose(secondInputGradient, firstInputGradient, "the input gradient is not accumulated");
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Infer_equals_Forward(string activation)
    {
        var random = new Random(7);
        (Dense<double> layer, Matrix<double> x) = Setup(activation, random);

        Matrix<double> inferred = layer.Infer(x);
        Matrix<double> forward = layer.Forward(x).Clone();

        AssertClose(inferred, forward, "inference and the training pass compute the same function");
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Forward_is_the_activation_of_X_times_W_plus_b(string activation)
    {
        // Pins down the function the gradient checks differentiate: the affine part is computed here with
        // MathNet's operators, so a transposed weight or a bias added along the wrong axis shows up.
        var random = new Random(31);
        (Dense<double> layer, Matrix<double> x) = Setup(activation, random);

        Matrix<double> expected = layer.Activation.Apply(GradientCheck.Affine(x, layer.Weights.Value, layer.Biases.Value));

        AssertClose(layer.Forward(x).Clone(), expected, "A = g(X·W + b)");
    }

    // Leaky ReLU with slope 0.1 rather than the default 0.01: well away from 0 and 1, its negative side is clearly
    // neither a ReLU's nor the identity's.
    private static Activation Create(string name) => name == "leaky_relu"
        ? ComponentRegistry.Activations.Create(name, new ComponentConfig().Set("slope", 0.1))
        : Named.Activation(name);

    /// <summary>A layer with random weights and biases, and an input whose pre-activations all keep clear of 0.</summary>
    private static (Dense<double> Layer, Matrix<double> X) Setup(string activation, Random random)
    {
        var layer = new Dense<double>(Inputs, Outputs, Create(activation));
        TestData.RandomMatrix(random, Inputs, Outputs).CopyTo(layer.Weights.Value);
        TestData.RandomMatrix(random, 1, Outputs, limit: 0.5).CopyTo(layer.Biases.Value);

        for (int attempt = 0; attempt < 100; attempt++)
        {
            Matrix<double> x = TestData.RandomMatrix(random, Samples, Inputs, limit: 1.5);
            Matrix<double> z = GradientCheck.Affine(x, layer.Weights.Value, layer.Biases.Value);
            if (z.Enumerate().All(value => Math.Abs(value) > KinkMargin))
            {
                return (layer, x);
            }
        }

        throw new InvalidOperationException("Could not draw an input whose pre-activations keep clear of 0.");
    }

    private static void AssertClose(Matrix<double> actual, Matrix<double> expected, string because)
    {
        actual.RowCount.Should().Be(expected.RowCount, because);
        actual.ColumnCount.Should().Be(expected.ColumnCount, because);
        for (int i = 0; i < actual.RowCount; i++)
        {
            for (int j = 0; j < actual.ColumnCount; j++)
            {
                actual[i, j].Should().BeApproximately(expected[i, j], 1e-12, "{0} (entry {1}, {2})", because, i, j);
            }
        }
    }
}
