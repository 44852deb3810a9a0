using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Activations;

/// <summary>
/// ELU, SELU, GELU (exact and tanh), SiLU and softplus: derivatives against central differences, values and
/// derivatives against PyTorch's for fixed inputs (Fixtures/pytorch/activations.json), and how each is exposed,
/// configured and initialised.
/// </summary>
public class ToolkitActivationTests(ITestOutputHelper output)
{
    /// <summary>The largest <c>|NeuralNet − PyTorch| / max(1, |PyTorch|)</c> allowed in float64.</summary>
    private const double DoubleBound = 1e-14;

    /// <summary>The same in float32: a few units in the last place of a float.</summary>
    private const double FloatBound = 5e-7;

    /// <summary>The fixture's names, each with the activation it was made with.</summary>
    public static TheoryData<string> FixtureNames => new("elu", "elu_alpha_0.5", "elu_alpha_2", "selu", "gelu", "gelu_tanh", "silu", "softplus");

    public static TheoryData<string> RegisteredNames => new("elu", "selu", "gelu", "gelu_tanh", "silu", "softplus");

    private static Activation ForFixture(string name) => name switch
    {
        "elu" => Activation.Elu(),
        "elu_alpha_0.5" => Activation.Elu(0.5),
        "elu_alpha_2" => Activation.Elu(2),
        "selu" => Activation.Selu,
        "gelu" => Activation.Gelu,
        "gelu_tanh" => Activation.GeluTanh,
        "silu" => Activation.Silu,
        "softplus" => Activation.Softplus,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not in the fixture"),
    };

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Derivative_matches_central_differences_on_ordinary_inputs(string name)
    {
        var random = new Random(3131);
        Activation activation = ForFixture(name);

        // Entries near 0 are moved away, so no kink (ELU with α ≠ 1, SELU) lies within a step of any input.
        Matrix<double> z = TestData.RandomMatrix(random, 5, 6, limit: 4).Map(value => Math.Abs(value) > 1e-3 ? value : 0.5);
        Matrix<double> upstream = TestData.RandomMatrix(random, 5, 6);

        Matrix<double> analytic = activation.Derivative(z, upstream);
        Matrix<double> numerical = GradientCheck.Numerical(() => activation.Apply(z), upstream, z);

        output.WriteLine($"{name}: max relative error {GradientCheck.MaxRelativeError(analytic, numerical):G3}");
        GradientCheck.ShouldMatch(analytic, numerical, $"{name} with respect to its input");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Derivative_matches_central_differences_far_out_in_both_tails(string name)
    {
        // GELU's tails (where 1 + erf and 1 + tanh cancel), large inputs, and softplus on both sides of its threshold
        // 20, each more than a step away from it (the linear branch joins log(1 + e^z) with a jump of e^-20). ELU's
        // value near −α between about −8 and −35 is left out: there its slope e^z is so small against α that the
        // rounding of the two values swamps their difference, and central differences themselves lose every digit.
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays(
            [-40, -7.5, -5, -2.5, -0.3, 0.3, 2.5, 5, 7.5, 12, 19.5, 20.5, 40],
            [-45, -6.5, -4, -1.5, -0.7, 0.7, 1.5, 4, 6.5, 9, 15, 19.9, 21]);
        Matrix<double> upstream = z.Map(v => 1 + (0.1 * Math.Sin(v)));
        Activation activation = ForFixture(name);

        Matrix<double> analytic = activation.Derivative(z, upstream);
        Matrix<double> numerical = GradientCheck.Numerical(() => activation.Apply(z), upstream, z);

        output.WriteLine($"{name}: max relative error {GradientCheck.MaxRelativeError(analytic, numerical):G3}");
        GradientCheck.ShouldMatch(analytic, numerical, $"{name} in its tails");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Values_and_derivatives_match_PyTorch_in_float64(string name)
    {
        (double value, double derivative) = CompareWithPyTorch<double>(name, "float64");
        output.WriteLine($"{name} float64: max difference from PyTorch, value {value:G3}, derivative {derivative:G3}");
        value.Should().BeLessThanOrEqualTo(DoubleBound);
        derivative.Should().BeLessThanOrEqualTo(DoubleBound);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Values_and_derivatives_match_PyTorch_in_float32(string name)
    {
        (double value, double derivative) = CompareWithPyTorch<float>(name, "float32");
        output.WriteLine($"{name} float32: max difference from PyTorch, value {value:G3}, derivative {derivative:G3}");
        value.Should().BeLessThanOrEqualTo(FloatBound);
        derivative.Should().BeLessThanOrEqualTo(FloatBound);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void A_layer_computing_in_place_gives_what_Apply_gives(string name)
    {
        // A dense layer applies its activation in place (a is z): identity weights and zero biases make its output
        // the activation of its input.
        Activation activation = ForFixture(name);
        var layer = new NeuralNet.Layers.Dense<double>(5, 5, activation);
        layer.Weights.Value.SetSubMatrix(0, 0, Matrix<double>.Build.DenseIdentity(5));
        Matrix<double> z = TestData.RandomMatrix(new Random(12), 7, 5, limit: 6);

        Matrix<double> inPlace = layer.Infer(z);

        inPlace.Should().Be(activation.Apply(z));
    }

    [Theory]
    [InlineData("elu", "he_uniform")]
    [InlineData("selu", "lecun_normal")]
    [InlineData("gelu", "he_uniform")]
    [InlineData("gelu_tanh", "he_uniform")]
    [InlineData("silu", "he_uniform")]
    [InlineData("softplus", "he_uniform")]
    public void Each_draws_its_weights_from_the_initialiser_suited_to_it(string name, string initializer)
    {
        Activation activation = Named.Activation(name);

        activation.DefaultWeightInitializer.Name.Should().Be(initializer);
        Network<double> network = Network.Sequential<double>(3).Dense(4, activation).Dense(2).Build(NeuralNet.Losses.Loss.MeanSquaredError, seed: 1);
        ((NeuralNet.Layers.Dense<double>)network.Layers[0]).WeightInitializer.Name.Should().Be(initializer);
    }

    [Fact]
    public void LeCun_normal_draws_with_variance_one_over_the_fan_in()
    {
        // 200 inputs × 300 units: 60,000 draws, whose sample variance is within 2% of 1/200 with overwhelming odds.
        var layer = new NeuralNet.Layers.Dense<double>(200, 300, Activation.Selu);
        layer.Initialize(new RandomSource(5));
        double[] values = layer.Weights.Value.ToColumnMajorArray();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();

        mean.Should().BeApproximately(0, 0.002);
        variance.Should().BeApproximately(1.0 / 200, 0.02 / 200);
        Initializer.LecunNormal.Should().BeSameAs(ComponentRegistry.Initializers.Create("lecun_normal", new()));
    }

    [Theory]
    [MemberData(nameof(RegisteredNames))]
    public void The_registry_rebuilds_each_from_its_name_and_configuration(string name)
    {
        Activation original = name == "elu" ? Activation.Elu(0.375) : Named.Activation(name);

        Activation rebuilt = ComponentRegistry.Activations.Create(original.Name, original.GetConfig());

        rebuilt.Should().BeOfType(original.GetType());
        rebuilt.Name.Should().Be(name);
        rebuilt.GetConfig().Should().Be(original.GetConfig());
        rebuilt.ToString().Should().Be(original.ToString());
    }

    [Fact]
    public void Elu_is_exposed_like_the_leaky_ReLU_with_its_alpha_in_its_configuration_and_name()
    {
        Elu elu = Activation.Elu(0.25);

        elu.Alpha.Should().Be(0.25);
        Activation.Elu().Alpha.Should().Be(1.0);
        elu.GetConfig().GetDouble("alpha").Should().Be(0.25);
        elu.ToString().Should().Be("elu(0.25)");
        elu.GetConfig().Should().NotBe(Activation.Elu(0.5).GetConfig());
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Elu_rejects_an_alpha_that_is_not_positive_and_finite(double alpha, string shown)
    {
        Action viaFactory = () => Activation.Elu(alpha);
        Action viaConstructor = () => _ = new Elu(alpha);

        viaFactory.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"alpha must be a positive finite number, but got {shown}.*")
            .And.ParamName.Should().Be("alpha");
        viaConstructor.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("alpha must be a positive finite number*");
    }

    [Fact]
    public void Selu_uses_PyTorch_s_constants()
    {
        // torch/nn/modules/activation.py and aten's SELU: alpha 1.6732632423543772848170429916717, scale 1.0507009873554804934193349852946.
        Selu.Alpha.Should().Be(1.6732632423543772);
        Selu.Scale.Should().Be(1.0507009873554805);
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays([2.0, -1.0]);
        Matrix<double> a = Activation.Selu.Apply(z);
        a[0, 0].Should().Be(Selu.Scale * 2.0);
        a[0, 1].Should().BeApproximately(Selu.Scale * Selu.Alpha * (Math.Exp(-1) - 1), 1e-16);
    }

    [Fact]
    public void Softplus_is_the_identity_above_its_threshold_and_log_one_plus_exp_at_it()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays([20.0, 20.000001, 1e300, -800]);

        Matrix<double> a = Activation.Softplus.Apply(z);
        Matrix<double> slope = Activation.Softplus.Derivative(z, Matrix<double>.Build.Dense(1, 4, 1.0));

        // log(1 + e^20) = 20 + log(1 + e^-20) = 20.000000002061153 (Python's math.log1p(math.exp(20))).
        a[0, 0].Should().BeApproximately(20.000000002061153, 4e-15, "20 is not above the threshold");
        a[0, 1].Should().Be(20.000001);
        a[0, 2].Should().Be(1e300, "the linear branch keeps e^z from overflowing");
        a[0, 3].Should().Be(0);
        slope[0, 1].Should().Be(1);
        slope[0, 3].Should().Be(0);
    }

    [Theory]
    [InlineData("gelu")]
    [InlineData("gelu_tanh")]
    [InlineData("silu")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("softplus")]
    public void Huge_inputs_give_finite_values_and_derivatives_in_both_precisions(string name)
    {
        Activation activation = Named.Activation(name);
        Matrix<double> z = Matrix<double>.Build.DenseOfRowArrays([1e30, -1e30, 3e38, -3e38, 1e300, -1e300]);
        Matrix<float> zf = z.SubMatrix(0, 1, 0, 4).Map(v => (float)v);

        Matrix<double> a = activation.Apply(z);
        Matrix<double> slope = activation.Derivative(z, Matrix<double>.Build.Dense(1, 6, 1.0));
        Matrix<float> af = activation.Apply(zf);
        Matrix<float> slopeF = activation.Derivative(zf, Matrix<float>.Build.Dense(1, 4, 1f));

        a.Enumerate().Should().OnlyContain(v => double.IsFinite(v));
        slope.Enumerate().Should().OnlyContain(v => double.IsFinite(v));
        af.Enumerate().Should().OnlyContain(v => float.IsFinite(v));
        slopeF.Enumerate().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void GELU_keeps_its_lower_tail_where_one_plus_erf_would_round_to_zero()
    {
        // Φ(−10) = 7.6198530241605260660e-24 (the tabulated normal tail), so GELU(−10) = −7.6198530241605260660e-23.
        Matrix<double> z = Matrix<double>.Build.Dense(1, 1, -10.0);

        double value = Activation.Gelu.Apply(z)[0, 0];

        value.Should().BeApproximately(-7.619853024160526e-23, 1e-36);
    }

    private static (double Value, double Derivative) CompareWithPyTorch<T>(string name, string precision)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        System.Text.Json.Nodes.JsonNode record = PyTorchReference.Activations[precision]![name]!;
        double[] input = PyTorchReference.Vector(record["input"]!);
        double[] value = PyTorchReference.Vector(record["value"]!);
        double[] derivative = PyTorchReference.Vector(record["derivative"]!);
        Activation activation = ForFixture(name);
        Matrix<T> z = Matrix<T>.Build.Dense(1, input.Length, (_, j) => T.CreateChecked(input[j]));

        Matrix<T> a = activation.Apply(z);
        Matrix<T> slope = activation.Derivative(z, Matrix<T>.Build.Dense(1, input.Length, T.One));

        double worstValue = 0;
        double worstSlope = 0;
        for (int j = 0; j < input.Length; j++)
        {
            worstValue = Math.Max(worstValue, PyTorchReference.Difference(double.CreateChecked(a[0, j]), value[j]));
            worstSlope = Math.Max(worstSlope, PyTorchReference.Difference(double.CreateChecked(slope[0, j]), derivative[j]));
        }

        return (worstValue, worstSlope);
    }
}
