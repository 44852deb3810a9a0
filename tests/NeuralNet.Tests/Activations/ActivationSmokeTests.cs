using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;

namespace NeuralNet.Tests.Activations;

public class ActivationSmokeTests
{
    [Fact]
    public void Relu_zeroes_negative_inputs()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 2 } });
        Activation.Relu.Apply(z).ToRowMajorArray().Should().Equal(0, 2);
    }

    [Fact]
    public void Relu_passes_the_gradient_exactly_where_the_input_is_positive_across_vector_widths()
    {
        // 67 values: several whole vectors of every width and a remainder, with zeros, signed zeros, NaN and
        // infinities among them; the gradient passes where z > 0 only.
        double[] special = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon];
        var random = new Random(4);
        double[] values = [.. Enumerable.Range(0, 67).Select(i => i % 9 < special.Length ? special[i % 9] : random.NextDouble() - 0.5)];
        double[] gradient = [.. Enumerable.Range(0, 67).Select(i => i + 1.5)];
        foreach (bool single in new[] { false, true })
        {
            double[] dz = single
                ? [.. Activation.Relu.Derivative(Column(values.Select(v => (float)v)), Column(gradient.Select(g => (float)g))).ToColumnMajorArray().Select(v => (double)v)]
                : Activation.Relu.Derivative(Column(values), Column(gradient)).ToColumnMajorArray();
            // double.Epsilon is 0 in float.
            dz.Should().Equal(values.Select((z, i) => (single ? (float)z > 0 : z > 0) ? gradient[i] : 0.0), single ? "in float" : "in double");
        }
    }

    private static Matrix<T> Column<T>(IEnumerable<T> values)
        where T : struct, IEquatable<T>, IFormattable
        => Matrix<T>.Build.DenseOfColumnMajor(values.Count(), 1, values.ToArray());
}
