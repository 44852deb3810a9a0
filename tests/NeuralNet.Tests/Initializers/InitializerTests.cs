using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Initializers;

/// <summary>
/// Each initialiser's draws match its definition. A 400×300 layer gives n = 120 000 weights, so sample
/// statistics are tight: the tolerances below are several standard errors wide (worked out next to each), which
/// keeps the seeded tests stable under any correct generator while still catching a wrong formula, such as a
/// swapped fan-in and fan-out (a 15% change of scale) or a uniform draw where a normal one is due.
/// </summary>
public class InitializerTests
{
    private const int FanIn = 400;
    private const int FanOut = 300;
    private const int N = FanIn * FanOut;

    /// <summary>The weights of a FanIn×FanOut layer after a network built around it drew them from <paramref name="seed"/>.</summary>
    private static double[] DrawWeights(Initializer initializer, int seed)
    {
        var dense = new Dense<double>(FanIn, FanOut, Activation.Identity, initializer);
        _ = new Network<double>([dense], Loss.MeanSquaredError, seed);
        return dense.Weights.Value.ToColumnMajorArray();
    }

    private static double Mean(double[] values) => values.Average();

    private static double Variance(double[] values)
    {
        double mean = Mean(values);
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    // Limits from the definitions: Glorot l = √(6/(in+out)), He l = √(6/in).
    [Theory]
    [InlineData("glorot_uniform", 6.0 / (FanIn + FanOut))]
    [InlineData("he_uniform", 6.0 / FanIn)]
    public void Uniform_initialisers_stay_within_the_limit_and_have_variance_limit_squared_over_three(string name, double limitSquared)
    {
        double limit = Math.Sqrt(limitSquared);

        double[] w = DrawWeights(Named.Initializer(name), seed: 101);

        w.Should().OnlyContain(v => v >= -limit && v <= limit);
        // A draw in the top or bottom 0.1% of the range is missed by all n samples with probability
        // 0.999^120000 ≈ e^-120: the range really reaches ±limit, not a narrower one.
        w.Max().Should().BeGreaterThan(0.999 * limit);
        w.Min().Should().BeLessThan(-0.999 * limit);
        // SE of the mean = l/√(3n) ≈ 0.0017·l, so 0.01·l is about 6 SE.
        Mean(w).Should().BeApproximately(0, 0.01 * limit);
        // Var(X²) = l⁴/5 − l⁴/9 = 4l⁴/45, so the variance estimate has relative SE √(4/45)·3/√n ≈ 0.26%; 2% is ~8 SE.
        Variance(w).Should().BeApproximately(limitSquared / 3, 0.02 * limitSquared / 3);
    }

    // σ from the definitions: Glorot σ = √(2/(in+out)), He σ = √(2/in).
    [Theory]
    [InlineData("glorot_normal", 2.0 / (FanIn + FanOut))]
    [InlineData("he_normal", 2.0 / FanIn)]
    public void Normal_initialisers_have_mean_zero_and_the_defined_standard_deviation(string name, double variance)
    {
        double sigma = Math.Sqrt(variance);

        double[] w = DrawWeights(Named.Initializer(name), seed: 202);

        AssertNormal(w, sigma);
    }

    [Fact]
    public void RandomNormal_of_one_hundredth_has_standard_deviation_one_hundredth()
    {
        double[] w = DrawWeights(Initializer.RandomNormal(0.01), seed: 303);

        AssertNormal(w, 0.01);
    }

    [Fact]
    public void RandomNormal_ignores_the_fans()
    {
        // A fixed σ: a layer of a very different shape must give the same spread.
        var dense = new Dense<double>(20, 1000, Activation.Relu, Initializer.RandomNormal(0.5));
        _ = new Network<double>([dense], Loss.MeanSquaredError, seed: 304);

        AssertNormal(dense.Weights.Value.ToColumnMajorArray(), 0.5);
    }

    [Fact]
    public void Normal_initialisers_fill_float_layers_too()
    {
        var dense = new Dense<float>(FanIn, FanOut, Activation.Relu, Initializer.HeNormal);
        _ = new Network<float>([dense], Loss.MeanSquaredError, seed: 305);

        AssertNormal([.. dense.Weights.Value.ToColumnMajorArray().Select(v => (double)v)], Math.Sqrt(2.0 / FanIn));
    }

    [Fact]
    public void Zeros_gives_all_zero_weights_and_is_the_default_for_biases()
    {
        var dense = new Dense<double>(FanIn, FanOut, Activation.Tanh, Initializer.Zeros);
        var control = new Dense<double>(5, 4, Activation.Tanh);
        // Non-zero biases first, so the test sees Initialize overwrite them rather than the zeros of a new layer.
        dense.Biases.Value.MapInplace(_ => 1.0);
        control.Biases.Value.MapInplace(_ => 1.0);

        _ = new Network<double>([dense], Loss.MeanSquaredError, seed: 404);
        _ = new Network<double>([control], Loss.MeanSquaredError, seed: 405);

        dense.Weights.Value.ToColumnMajorArray().Should().OnlyContain(v => v == 0);
        dense.Biases.Value.ToColumnMajorArray().Should().OnlyContain(v => v == 0);
        control.Biases.Value.ToColumnMajorArray().Should().OnlyContain(v => v == 0);
    }

    [Theory]
    [InlineData("glorot_uniform")]
    [InlineData("he_uniform")]
    [InlineData("glorot_normal")]
    [InlineData("he_normal")]
    public void The_same_seed_gives_identical_weights_and_another_seed_different_ones(string name)
    {
        Initializer initializer = Named.Initializer(name);

        double[] first = DrawWeights(initializer, seed: 42);
        double[] again = DrawWeights(initializer, seed: 42);
        double[] other = DrawWeights(initializer, seed: 43);

        again.Should().Equal(first);
        // Independent continuous draws coincide essentially never; allowing a handful guards only against a fluke.
        first.Zip(other).Count(pair => pair.First == pair.Second).Should().BeLessThan(5);
    }

    [Fact]
    public void Initialize_with_the_constructor_seed_restores_the_starting_weights()
    {
        var dense = new Dense<double>(30, 20, Activation.Relu);
        var network = new Network<double>([dense], Loss.MeanSquaredError, seed: 77);
        double[] start = dense.Weights.Value.ToColumnMajorArray();
        dense.Weights.Value.MapInplace(v => v + 1);

        network.Initialize(77);

        dense.Weights.Value.ToColumnMajorArray().Should().Equal(start);
    }

    [Fact]
    public void Layers_of_the_same_shape_in_one_network_get_different_weights()
    {
        // If each layer restarted the generator, equal layers would start equal and stay symmetric.
        var first = new Dense<double>(20, 20, Activation.Tanh);
        var second = new Dense<double>(20, 20, Activation.Tanh);

        _ = new Network<double>([first, second], Loss.MeanSquaredError, seed: 88);

        first.Weights.Value.ToColumnMajorArray().Should().NotEqual(second.Weights.Value.ToColumnMajorArray());
    }

    private static void AssertNormal(double[] w, double sigma)
    {
        double sqrtN = Math.Sqrt(w.Length);
        // SE of the mean is σ/√n; 7 SE.
        Mean(w).Should().BeApproximately(0, 7 * sigma / sqrtN);
        // SE of the sample standard deviation is about σ/√(2n); 7 SE.
        Math.Sqrt(Variance(w)).Should().BeApproximately(sigma, 7 * sigma / Math.Sqrt(2 * w.Length));
        // P(|X| < σ) = 0.6827 for a normal but 0.577 for a uniform of the same variance; the proportion's SE is
        // √(0.68·0.32/n); 7 SE.
        double inside = w.Count(v => Math.Abs(v) < sigma) / (double)w.Length;
        inside.Should().BeApproximately(0.6827, 7 * Math.Sqrt(0.6827 * 0.3173 / w.Length));
    }
}
