using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.UpdateRules;

namespace NeuralNet.MLNet.Internal;

/// <summary>Activations and update rules by their registry names, with their default hyper-parameters.</summary>
internal static class ComponentNames
{
    // The registry rebuilds a component from a saved configuration, which names every hyper-parameter; an option
    // names only the component, so the built-in ones start from the configuration of their default instance.
    private static readonly Dictionary<string, ComponentConfig> UpdateRuleDefaults = new UpdateRule[]
    {
        new Plain(), new Momentum(), new Nesterov(), new RmsProp(), new Adam(), new AdamW(),
    }.ToDictionary(rule => rule.Name, rule => rule.GetConfig());

    private static readonly Dictionary<string, ComponentConfig> ActivationDefaults = new Activation[]
    {
        new LeakyRelu(), new Elu(),
    }.ToDictionary(activation => activation.Name, activation => activation.GetConfig());

    public static Activation Activation(string name)
        => Create(ComponentRegistry.Activations, ActivationDefaults, name, nameof(NeuralNetTrainerOptions.Activation));

    public static UpdateRule UpdateRule(string name)
        => Create(ComponentRegistry.UpdateRules, UpdateRuleDefaults, name, nameof(NeuralNetTrainerOptions.UpdateRule));

    private static T Create<T>(ComponentTable<T> table, Dictionary<string, ComponentConfig> defaults, string name, string option)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(name) || !table.IsRegistered(name))
        {
            throw new ArgumentException($"{option} expects the name of a registered {table.Kind} ({string.Join(", ", table.Names)}), but got '{name}'.", option);
        }

        return table.Create(name, defaults.TryGetValue(name, out ComponentConfig? config) ? config : new ComponentConfig());
    }
}
