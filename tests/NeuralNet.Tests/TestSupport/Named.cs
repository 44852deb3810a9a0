using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Components by the names that theory data carries. Activations, initialisers, losses and update rules are built by
/// <see cref="ComponentRegistry"/>, the one place the library knows them by name, with the library's default
/// hyper-parameters; a test that needs other hyper-parameters passes its own <see cref="ComponentConfig"/> to the
/// registry. Gradient descents are not registered components and come from their short names here.
/// </summary>
internal static class Named
{
    // The registry's factories need every hyper-parameter. The defaults are read from default-constructed components,
    // so that "the default Adam" here is the one `new Adam()` gives.
    private static readonly Activation[] ActivationDefaults = [new LeakyRelu(), new Elu()];
    private static readonly Initializer[] InitializerDefaults = [new RandomNormal()];
    private static readonly UpdateRule[] RuleDefaults = [new Momentum(), new Nesterov(), new RmsProp(), new Adam()];

    /// <summary>The activation registered as <paramref name="name"/>, with its default hyper-parameters.</summary>
    /// <param name="name">A registered name, such as <c>relu</c> or <c>leaky_relu</c>.</param>
    /// <returns>The activation.</returns>
    public static Activation Activation(string name)
        => ComponentRegistry.Activations.Create(name, ActivationDefaults.FirstOrDefault(a => a.Name == name)?.GetConfig() ?? new());

    /// <summary>The initialiser registered as <paramref name="name"/>, with its default hyper-parameters.</summary>
    /// <param name="name">A registered name, such as <c>he_normal</c>.</param>
    /// <returns>The initialiser.</returns>
    public static Initializer Initializer(string name)
        => ComponentRegistry.Initializers.Create(name, InitializerDefaults.FirstOrDefault(i => i.Name == name)?.GetConfig() ?? new());

    /// <summary>The loss registered as <paramref name="name"/>.</summary>
    /// <param name="name">A registered name, such as <c>mean_squared_error</c>.</param>
    /// <returns>The loss.</returns>
    public static Loss Loss(string name) => ComponentRegistry.Losses.Create(name, new());

    /// <summary>A new update rule registered as <paramref name="name"/>, with its default hyper-parameters.</summary>
    /// <param name="name">A registered name: <c>plain</c>, <c>momentum</c>, <c>nesterov</c>, <c>rmsprop</c> or <c>adam</c>.</param>
    /// <returns>The rule.</returns>
    public static UpdateRule Rule(string name)
        => ComponentRegistry.UpdateRules.Create(name, RuleDefaults.FirstOrDefault(r => r.Name == name)?.GetConfig() ?? new());

    /// <summary>A gradient descent by its short name.</summary>
    /// <param name="name"><c>bgd</c> (batch), <c>sgd</c> (stochastic) or <c>mbgd</c> (mini-batch).</param>
    /// <param name="miniBatchSize">The batch size of <c>mbgd</c>.</param>
    /// <returns>The gradient descent.</returns>
    public static GradientDescent Descent(string name, int miniBatchSize) => name switch
    {
        "bgd" => new BatchGradientDescent(),
        "sgd" => new StochasticGradientDescent(),
        "mbgd" => new MiniBatchGradientDescent(miniBatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected bgd, sgd or mbgd."),
    };
}
