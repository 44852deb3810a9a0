using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.UpdateRules;

/// <summary>
/// A weight whose gradient stays zero (an always-blank input pixel, a dead unit) must not leave its rule's running
/// averages stuck in the subnormal range, where every later step runs many times slower: they reach zero.
/// </summary>
public class UpdateRuleSubnormalTests
{
    public static TheoryData<string> Rules() => ["momentum", "nesterov", "rmsprop", "adam"];

    [Theory]
    [MemberData(nameof(Rules))]
    public void State_that_decays_under_zero_gradients_ends_at_zero_rather_than_subnormal(string name)
    {
        UpdateRule rule = Named.Rule(name);
        Parameter<float> p = new Dense<float>(1, 1).Weights;
        var updater = new ParameterUpdater<float>(rule, [p]);
        ParameterState<float> state = updater.StateOf(p);
        p.Gradient[0, 0] = 0.01f;
        updater.Update(0.01f);
        p.Gradient[0, 0] = 0f;

        // The slowest decay is Adam's β2 = 0.999: from 1e-8 to below 1e-45 takes about 85,000 steps.
        bool sawSubnormal = false;
        for (int step = 0; step < 100_000; step++)
        {
            updater.Update(0.01f);
            for (int b = 0; b < state.BufferCount; b++)
            {
                sawSubnormal |= float.IsSubnormal(state.Buffer(b)[0]);
            }
        }

        sawSubnormal.Should().BeFalse();
        for (int b = 0; b < state.BufferCount; b++)
        {
            state.Buffer(b)[0].Should().Be(0f);
        }
    }
}
