using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Activations;

/// <summary>Proves every activation's values and derivatives against hand calculation and central differences.</summary>
public class ActivationGradientTests
{
    private static readonly string[] Names = ["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu_default", "identity", "softmax"];

    public static TheoryData<string> ActivationNames => new(Names);

    // Hand-computed: σ(0) = ½, σ'(0) = ¼; σ(ln 3) = 1/(1 + 1/3) = ¾, σ' = ¾·¼; tanh(ln 2) = (2 − ½)/(2 + ½) = 0.6,
    // tanh' = 1 − 0.36; the ReLU family passes positives through and scales negatives by the slope.
    public static TheoryData<string, double, double, double> HandComputed => new()
    {
        { "sigmoid", 0.0, 0.5, 0.25 },
        { "sigmoid", Math.Log(3), 0.75, 0.1875 },
        { "sigmoid", -Math.Log(3), 0.25, 0.1875 },
        { "tanh", 0.0, 0.0, 1.0 },
        { "tanh", Math.Log(2), 0.6, 0.64 },
        { "tanh", -Math.Log(2), -0.6, 0.64 },
        { "relu", -2.0, 0.0, 0.0 },
        { "relu", 3.0, 3.0, 1.0 },
        { "leaky_relu", -2.0, -0.2, 0.1 },
        { "leaky_relu", 3.0, 3.0, 1.0 },
        { "leaky_relu_default", -5.0, -0.05, 0.01 },
        { "leaky_relu_default", 0.5, 0.5, 1.0 },
        { "identity", -1.5, -1.5, 1.0 },
        { "identity", 4.25, 4.25, 1.0 },
    };

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Derivative_matches_central_differences_of_the_sum_of_output_times_upstream_gradient(string name)
    {
        var random = new Random(2024);
        Activation activation = Create(name);

        // Entries near 0 are moved to 0.5 so no ReLU kink lies within a step of any input.
        Matrix<double> z = TestData.RandomMatrix(random, 4, 5, limit: 2)
            .Map(value => Math.Abs(value) > 1e-3 ? value : 0.5);
        Matrix<double> upstream = TestData.RandomMatrix(random, 4, 5);

        Matrix<double> analytic = activation.Derivative(z, upstream);
        Matrix<double> numerical = GradientCheck.Numerical(() => activation.Apply(z), upstream, z);

        GradientCheck.ShouldMatch(analytic, numerical, $"{name} with respect to its input");
    }

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void Apply_and_Derivative_give_hand_computed_values(string name, double z, double expectedValue, double expectedSlope)
    {
        Activation activation = Create(name);
        Matrix<double> input = Matrix<double>.Build.Dense(1, 1, z);

        double value = activation.Apply(input)[0, 0];
        double slope = activation.Derivative(input, Matrix<double>.Build.Dense(1, 1, 1.0))[0, 0];

        value.Should().BeApproximately(expectedValue, 1e-15, "{0}({1})", name, z);
        slope.Should().BeApproximately(expectedSlope, 1e-15, "{0}'({1})", name, z);
    }

    [Fact]
    public void Softmax_of_logs_of_1_2_3_is_one_sixth_one_third_one_half()
    {
        // e^0 : e^ln2 : e^ln3 = 1 : 2 : 3, normalised by 6.
        Matrix<double> z = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, Math.Log(2), Math.Log(3) } });

        Matrix<double> p = Activation.Softmax.Apply(z);

        p[0, 0].Should().BeApproximately(1.0 / 6, 1e-15);
        p[0, 1].Should().BeApproximately(2.0 / 6, 1e-15);
        p[0, 2].Should().BeApproximately(3.0 / 6, 1e-15);
    }

    [Fact]
    public void Softmax_Jacobian_by_central_differences_is_diag_p_minus_p_p_transposed()
    {
        double[] row = [0.3, -1.2, 2.0, 0.5];
        int k = row.Length;
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays(row);
        Vector<double> p = IndependentSoftmax(row);
        Matrix<double> analytic = Matrix<double>.Build.DenseOfDiagonalVector(p) - p.OuterProduct(p);

        // Column j of the numerical Jacobian: ∂p/∂z_j. Weighting the outputs by e_i picks out ∂p_i/∂z_j.
        var numerical = Matrix<double>.Build.Dense(k, k);
        for (int i = 0; i < k; i++)
        {
            Matrix<double> pickI = TestData.OneHot([i], k);
            Matrix<double> rowI = GradientCheck.Numerical(() => Activation.Softmax.Apply(z), pickI, z);
            numerical.SetRow(i, rowI.Row(0));
        }

        GradientCheck.ShouldMatch(analytic, numerical, "the softmax Jacobian");
    }

    [Fact]
    public void Softmax_Derivative_against_unit_vectors_gives_the_rows_of_diag_p_minus_p_p_transposed()
    {
        double[] row = [0.3, -1.2, 2.0, 0.5];
        int k = row.Length;
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays(row);
        Vector<double> p = IndependentSoftmax(row);
        Matrix<double> jacobian = Matrix<double>.Build.DenseOfDiagonalVector(p) - p.OuterProduct(p);

        for (int i = 0; i < k; i++)
        {
            // dz = Jᵀ·e_i, and J is symmetric, so this is row i of J.
            Matrix<double> unit = TestData.OneHot([i], k);
            Matrix<double> dz = Activation.Softmax.Derivative(z, unit);
            for (int j = 0; j < k; j++)
            {
                dz[0, j].Should().BeApproximately(jacobian[i, j], 1e-15, "J[{0}, {1}]", i, j);
            }
        }
    }

    [Fact]
    public void Softmax_rows_are_probability_vectors_even_for_huge_logits()
    {
        var random = new Random(55);
        Matrix<double> z = TestData.RandomMatrix(random, 6, 5, limit: 3);

        // Rows shifted far out: without subtracting the row maximum, e^1000 overflows and e^-1000 underflows to 0/0.
        z.SetRow(1, z.Row(1) + 1000);
        z.SetRow(2, z.Row(2) - 1000);
        z.SetRow(3, Vector<double>.Build.DenseOfArray([1000, -1000, 0, 999, -999]));

        Matrix<double> p = Activation.Softmax.Apply(z);

        for (int i = 0; i < z.RowCount; i++)
        {
            Vector<double> expected = IndependentSoftmax(z.Row(i).ToArray());
            p.Row(i).Sum().Should().BeApproximately(1.0, 1e-12, "row {0} is a probability vector", i);
            for (int j = 0; j < z.ColumnCount; j++)
            {
                p[i, j].Should().BeInRange(0.0, 1.0, "entry ({0}, {1}) is a probability", i, j);
                p[i, j].Should().BeApproximately(expected[j], 1e-12, "entry ({0}, {1}) of softmax", i, j);
            }
        }
    }

    [Theory]
    [InlineData("sigmoid", 1000.0, 1.0)]
    [InlineData("sigmoid", -1000.0, 0.0)]
    [InlineData("tanh", 1000.0, 1.0)]
    [InlineData("tanh", -1000.0, -1.0)]
    public void Saturating_activations_reach_their_limits_without_overflow(string name, double z, double limit)
    {
        Activation activation = Create(name);
        Matrix<double> input = Matrix<double>.Build.Dense(1, 1, z);

        // The exact limit is also the correctly rounded value: 1 − σ(1000) and 1 − tanh(1000) are far below 2^-53.
        double value = activation.Apply(input)[0, 0];
        double slope = activation.Derivative(input, Matrix<double>.Build.Dense(1, 1, 1.0))[0, 0];

        value.Should().Be(limit);
        double.IsFinite(slope).Should().BeTrue("the derivative at {0} must not be NaN or infinite, but was {1}", z, slope);
        slope.Should().BeApproximately(0.0, 1e-300, "the function is flat at {0}", z);
    }

    // The data names leaky ReLU twice: with slope 0.1, which the hand-computed values use, and with the default slope.
    private static Activation Create(string name) => name switch
    {
        "leaky_relu" => ComponentRegistry.Activations.Create(name, new ComponentConfig().Set("slope", 0.1)),
        "leaky_relu_default" => Named.Activation("leaky_relu"),
        _ => Named.Activation(name),
    };

    /// <summary>Softmax written out in the test: e^(z − max) normalised.</summary>
    private static Vector<double> IndependentSoftmax(double[] z)
    {
        double max = z.Max();
        double[] e = [.. z.Select(value => Math.Exp(value - max))];
        double sum = e.Sum();
        return Vector<double>.Build.DenseOfArray([.. e.Select(value => value / sum)]);
    }
}
