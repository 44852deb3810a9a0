using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.UpdateRules;

public class UpdateRuleStepTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Plain_moves_against_the_gradient_by_eta_times_g()
    {
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        var updater = new ParameterUpdater<double>(new Plain(), [p]);

        // θ − η g = [1 − 0.1·0.5, −2 − 0.1·(−1)] = [0.95, −1.9]
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.95, -1.9], Close);

        // Same gradient again; plain keeps no state, so the step is identical: [0.9, −1.8].
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.9, -1.8], Close);
        updater.StateOf(p).BufferCount.Should().Be(0);
        updater.StateOf(p).Step.Should().Be(2);
    }

    [Fact]
    public void Momentum_accumulates_a_velocity()
    {
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        var updater = new ParameterUpdater<double>(new Momentum(0.9), [p]);

        // v = 0.9·0 + g = [0.5, −1]; θ = [1 − 0.05, −2 + 0.1] = [0.95, −1.9]
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.95, -1.9], Close);

        // g = [0.2, 0.4]; v = 0.9·[0.5, −1] + [0.2, 0.4] = [0.65, −0.5];
        // θ = [0.95 − 0.065, −1.9 + 0.05] = [0.885, −1.85]
        SetGradient(p, 0.2, 0.4);
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.885, -1.85], Close);
    }

    [Fact]
    public void Nesterov_steps_along_the_gradient_plus_the_looked_ahead_velocity()
    {
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        var updater = new ParameterUpdater<double>(new Nesterov(0.9), [p]);

        // v = g = [0.5, −1]; g + μv = 1.9·g = [0.95, −1.9]; θ = [1 − 0.095, −2 + 0.19] = [0.905, −1.81]
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.905, -1.81], Close);

        // g = [0.2, 0.4]; v = [0.65, −0.5]; g + μv = [0.2 + 0.585, 0.4 − 0.45] = [0.785, −0.05];
        // θ = [0.905 − 0.0785, −1.81 + 0.005] = [0.8265, −1.805]
        SetGradient(p, 0.2, 0.4);
        updater.Update(0.1);
        ValuesOf(p).Should().Equal([0.8265, -1.805], Close);
    }

    [Fact]
    public void RmsProp_divides_by_the_root_of_the_running_square_plus_epsilon()
    {
        // ρ = 0.75 and ε = 1 keep the roots exact; ε = 1 also tells √s + ε from √(s + ε).
        Parameter<double> p = NewParameter(1.0, -2.0, 2.0, -4.0);
        var updater = new ParameterUpdater<double>(new RmsProp(decay: 0.75, epsilon: 1.0), [p]);

        // s = 0.25·g² = [1, 4]; √s + ε = [2, 3]; g / (√s + ε) = [1, −4/3];
        // θ = [1 − 0.3·1, −2 + 0.3·4/3] = [0.7, −1.6]
        updater.Update(0.3);
        ValuesOf(p).Should().Equal([0.7, -1.6], Close);

        // g = [1, 2]; s = 0.75·[1, 4] + 0.25·[1, 4] = [1, 4]; √s + ε = [2, 3]; g / (√s + ε) = [0.5, 2/3];
        // θ = [0.7 − 0.15, −1.6 − 0.2] = [0.55, −1.8]
        SetGradient(p, 1.0, 2.0);
        updater.Update(0.3);
        ValuesOf(p).Should().Equal([0.55, -1.8], Close);
    }

    [Fact]
    public void RmsProp_with_default_hyperparameters_takes_the_textbook_first_step()
    {
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        new ParameterUpdater<double>(new RmsProp(), [p]).Update(0.01);

        // s = 0.1·g² = [0.025, 0.1]; θ − η g / (√s + 1e-8), written out independently of the rule.
        double[] expected =
        [
            1.0 - (0.01 * 0.5 / (Math.Sqrt(0.025) + 1e-8)),
            -2.0 - (0.01 * -1.0 / (Math.Sqrt(0.1) + 1e-8)),
        ];
        ValuesOf(p).Should().Equal(expected, Close);
    }

    [Fact]
    public void Adam_applies_bias_corrected_moments_per_step()
    {
        // β₁ = 0.5, β₂ = 0.75, ε = 1 keep the first step exact and make the second step's moment cancel.
        Parameter<double> p = NewParameter(1.0, -2.0, 2.0, -4.0);
        var updater = new ParameterUpdater<double>(new Adam(beta1: 0.5, beta2: 0.75, epsilon: 1.0), [p]);

        // t = 1: m = 0.5·g = [1, −2]; v = 0.25·g² = [1, 4]; m̂ = m/0.5 = [2, −4]; v̂ = v/0.25 = [4, 16];
        // m̂ / (√v̂ + ε) = [2/3, −4/5]; θ = [1 − 0.3·2/3, −2 + 0.3·4/5] = [0.8, −1.76]
        updater.Update(0.3);
        ValuesOf(p).Should().Equal([0.8, -1.76], Close);

        // t = 2, g = [1, 2]: m = 0.5·[1, −2] + 0.5·[1, 2] = [1, 0]; v = 0.75·[1, 4] + 0.25·[1, 4] = [1, 4];
        // m̂ = m/(1 − 0.25) = [4/3, 0]; v̂ = v/(1 − 0.5625) = [16/7, 64/7];
        // θ₀ = 0.8 − 0.3·(4/3)/(4/√7 + 1) = 0.8 − 0.4·√7/(4 + √7); θ₁ does not move because m₁ = 0.
        SetGradient(p, 1.0, 2.0);
        updater.Update(0.3);
        double sqrt7 = Math.Sqrt(7.0);
        ValuesOf(p).Should().Equal([0.8 - (0.4 * sqrt7 / (4.0 + sqrt7)), -1.76], Close);
    }

    [Fact]
    public void Adam_with_default_hyperparameters_first_step_is_eta_times_the_sign_of_g()
    {
        // At t = 1 the bias corrections give m̂ = g and v̂ = g², so the step is η·g/(|g| + ε).
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        new ParameterUpdater<double>(new Adam(), [p]).Update(0.1);

        ValuesOf(p).Should().Equal([1.0 - (0.1 * 0.5 / (0.5 + 1e-8)), -2.0 + (0.1 * 1.0 / (1.0 + 1e-8))], Close);
    }

    [Theory]
    [MemberData(nameof(StatefulRules))]
    public void State_follows_the_parameter_object_whatever_the_update_order(string ruleName)
    {
        // One rule object serves every updater: it holds no state of its own.
        UpdateRule rule = Named.Rule(ruleName);

        // Each parameter with its own updater: the reference trajectories.
        (Parameter<double> aloneP, Parameter<double> aloneQ) = TwoParameters();
        var updaterP = new ParameterUpdater<double>(rule, [aloneP]);
        var updaterQ = new ParameterUpdater<double>(rule, [aloneQ]);

        // One updater for [p, q], and one for the same parameters in the reverse order.
        (Parameter<double> forwardP, Parameter<double> forwardQ) = TwoParameters();
        var forward = new ParameterUpdater<double>(rule, [forwardP, forwardQ]);
        (Parameter<double> reverseP, Parameter<double> reverseQ) = TwoParameters();
        var reverse = new ParameterUpdater<double>(rule, [reverseQ, reverseP]);

        for (int step = 0; step < 3; step++)
        {
            // Fresh gradients each step so that any mixing of p's and q's state shows in the values.
            double scale = step + 1;
            foreach (Parameter<double> p in new[] { aloneP, forwardP, reverseP })
            {
                SetGradient(p, 0.3 * scale, -0.7);
            }

            foreach (Parameter<double> q in new[] { aloneQ, forwardQ, reverseQ })
            {
                SetGradient(q, -2.0, 1.5 / scale);
            }

            updaterP.Update(0.05);
            updaterQ.Update(0.05);
            forward.Update(0.05);
            reverse.Update(0.05);
        }

        ValuesOf(forwardP).Should().Equal(ValuesOf(aloneP));
        ValuesOf(forwardQ).Should().Equal(ValuesOf(aloneQ));
        ValuesOf(reverseP).Should().Equal(ValuesOf(aloneP));
        ValuesOf(reverseQ).Should().Equal(ValuesOf(aloneQ));
        forward.StateOf(forwardP).Buffer(0).ToArray().Should().Equal(updaterP.StateOf(aloneP).Buffer(0).ToArray());
        forward.StateOf(forwardQ).Step.Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(StatefulRules))]
    public void A_new_updater_starts_from_fresh_state_whatever_the_rule_object_did_before(string ruleName)
    {
        (Parameter<double> p, Parameter<double> q) = TwoParameters();
        UpdateRule rule = Named.Rule(ruleName);
        var first = new ParameterUpdater<double>(rule, [p, q]);
        first.Update(0.05);
        first.Update(0.05);
        first.StateOf(p).Step.Should().Be(2);

        // A second updater with the same rule object: its first step matches a brand-new rule's first step.
        Parameter<double> reference = NewParameter(p.Value[0, 0], p.Value[1, 0], p.Gradient[0, 0], p.Gradient[1, 0]);
        new ParameterUpdater<double>(Named.Rule(ruleName), [reference]).Update(0.05);
        var second = new ParameterUpdater<double>(rule, [p]);
        second.StateOf(p).Step.Should().Be(0);
        second.Update(0.05);
        ValuesOf(p).Should().Equal(ValuesOf(reference));
        first.StateOf(p).Step.Should().Be(2, "the first updater's state is its own");
    }

    [Fact]
    public void An_updater_takes_each_parameter_once_and_knows_only_its_own()
    {
        (Parameter<double> p, Parameter<double> q) = TwoParameters();
        Action twice = () => _ = new ParameterUpdater<double>(new Adam(), [p, p]);
        twice.Should().Throw<ArgumentException>().WithMessage("*distinct*twice*");

        var updater = new ParameterUpdater<double>(new Adam(), [p]);
        Action other = () => updater.StateOf(q);
        other.Should().Throw<KeyNotFoundException>().WithMessage("*not one of the parameters*");
    }

    [Theory]
    [InlineData("plain", 0.0)]
    [InlineData("momentum", -0.1)]
    [InlineData("nesterov", double.NaN)]
    [InlineData("rmsprop", double.PositiveInfinity)]
    [InlineData("adam", 0.0)]
    [InlineData("adam", double.NaN)]
    public void Update_rejects_a_learning_rate_that_is_not_positive_and_finite(string ruleName, double learningRate)
    {
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        var updater = new ParameterUpdater<double>(Named.Rule(ruleName), [p]);

        Action act = () => updater.Update(learningRate);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "learningRate")
            .WithMessage("*learningRate*positive*");

        // A rejected call must neither move the parameter nor advance the state.
        ValuesOf(p).Should().Equal(1.0, -2.0);
        updater.StateOf(p).Step.Should().Be(0);
    }

    [Fact]
    public void Update_checks_a_float_learning_rate_too()
    {
        Parameter<float> p = new Dense<float>(2, 1).Weights;
        Action act = () => new ParameterUpdater<float>(new Adam(), [p]).Update(float.NaN);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "learningRate").WithMessage("*NaN*");
    }

    [Theory]
    [InlineData("momentum(1.0)", "coefficient", "*coefficient*[0, 1)*1*")]
    [InlineData("momentum(-0.1)", "coefficient", "*coefficient*[0, 1)*-0.1*")]
    [InlineData("nesterov(1.0)", "coefficient", "*coefficient*[0, 1)*1*")]
    [InlineData("nesterov(NaN)", "coefficient", "*coefficient*NaN*")]
    [InlineData("rmsprop(decay: 1.0)", "decay", "*decay*[0, 1)*1*")]
    [InlineData("rmsprop(decay: -0.5)", "decay", "*decay*[0, 1)*-0.5*")]
    [InlineData("rmsprop(epsilon: 0)", "epsilon", "*epsilon*positive*0*")]
    [InlineData("adam(beta1: 1.0)", "beta1", "*beta1*[0, 1)*1*")]
    [InlineData("adam(beta2: 1.0)", "beta2", "*beta2*[0, 1)*1*")]
    [InlineData("adam(beta1: -0.1)", "beta1", "*beta1*[0, 1)*-0.1*")]
    [InlineData("adam(epsilon: 0)", "epsilon", "*epsilon*positive*0*")]
    [InlineData("adam(epsilon: -1e-8)", "epsilon", "*epsilon*positive*-1E-08*")]
    public void Constructors_reject_hyperparameters_out_of_range_naming_them(string construction, string parameterName, string message)
    {
        Func<UpdateRule> create = construction switch
        {
            "momentum(1.0)" => () => new Momentum(1.0),
            "momentum(-0.1)" => () => new Momentum(-0.1),
            "nesterov(1.0)" => () => new Nesterov(1.0),
            "nesterov(NaN)" => () => new Nesterov(double.NaN),
            "rmsprop(decay: 1.0)" => () => new RmsProp(decay: 1.0),
            "rmsprop(decay: -0.5)" => () => new RmsProp(decay: -0.5),
            "rmsprop(epsilon: 0)" => () => new RmsProp(epsilon: 0),
            "adam(beta1: 1.0)" => () => new Adam(beta1: 1.0),
            "adam(beta2: 1.0)" => () => new Adam(beta2: 1.0),
            "adam(beta1: -0.1)" => () => new Adam(beta1: -0.1),
            "adam(epsilon: 0)" => () => new Adam(epsilon: 0),
            "adam(epsilon: -1e-8)" => () => new Adam(epsilon: -1e-8),
            _ => throw new ArgumentException($"Unknown case {construction}.", nameof(construction)),
        };

        create.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == parameterName)
            .WithMessage(message);
    }

    [Fact]
    public void Boundary_hyperparameters_inside_the_range_are_accepted()
    {
        // [0, 1) includes 0: μ = 0 turns momentum into plain descent.
        Parameter<double> p = NewParameter(1.0, -2.0, 0.5, -1.0);
        new ParameterUpdater<double>(new Momentum(0.0), [p]).Update(0.1);
        ValuesOf(p).Should().Equal([0.95, -1.9], Close);

        FluentActions.Invoking(() => new Adam(beta1: 0.0, beta2: 0.0, epsilon: 1e-300)).Should().NotThrow();
        FluentActions.Invoking(() => new RmsProp(decay: 0.0)).Should().NotThrow();
    }

    public static TheoryData<string> StatefulRules() => ["momentum", "nesterov", "rmsprop", "adam"];

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= Tolerance;

    /// <summary>A 2×1 parameter taken from a real layer, so the rule sees exactly what training gives it.</summary>
    private static Parameter<double> NewParameter(double value0, double value1, double gradient0, double gradient1)
    {
        Parameter<double> p = new Dense<double>(2, 1).Weights;
        p.Value[0, 0] = value0;
        p.Value[1, 0] = value1;
        SetGradient(p, gradient0, gradient1);
        return p;
    }

    /// <summary>Two parameters of the same shape, so state keyed by shape or position would mix them up.</summary>
    private static (Parameter<double> P, Parameter<double> Q) TwoParameters()
        => (NewParameter(1.0, -2.0, 0.5, -1.0), NewParameter(-0.5, 3.0, -2.0, 1.5));

    private static void SetGradient(Parameter<double> p, double gradient0, double gradient1)
    {
        p.Gradient[0, 0] = gradient0;
        p.Gradient[1, 0] = gradient1;
    }

    private static double[] ValuesOf(Parameter<double> p) => p.Value.ToColumnMajorArray();
}
