using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Components;

/// <summary>
/// The registered layer types: each a stable name and a factory per precision that builds the layer, with its
/// parameters' shapes, from its <see cref="ComponentConfig"/>. Loading then fills the parameters by name.
/// </summary>
/// <remarks>Thread-safe. A name is registered once, for the life of the process; the built-in names cannot be taken.</remarks>
public sealed class LayerTable
{
    private readonly Dictionary<string, (Func<ComponentConfig, Layer<float>> ForFloat, Func<ComponentConfig, Layer<double>> ForDouble)> _factories = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal LayerTable()
    {
    }

    /// <summary>The registered names, in ordinal order.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _factories.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Registers a layer type under <paramref name="name"/>, the name its layers report.</summary>
    /// <param name="name">The layer type's stable name: 1 to 64 characters from <c>A–Z a–z 0–9 _ . -</c>, not yet registered.</param>
    /// <param name="forFloat">Builds a float32 layer from the configuration its <c>GetConfig</c> returned.</param>
    /// <param name="forDouble">Builds a float64 layer from the same configuration.</param>
    /// <exception cref="ArgumentException">The name is invalid or already registered.</exception>
    /// <exception cref="ArgumentNullException">A factory is null.</exception>
    public void Register(string name, Func<ComponentConfig, Layer<float>> forFloat, Func<ComponentConfig, Layer<double>> forDouble)
    {
        ArgumentNullException.ThrowIfNull(forFloat);
        ArgumentNullException.ThrowIfNull(forDouble);
        if (!ComponentConfig.IsValidKey(name))
        {
            throw new ArgumentException($"A layer name must be 1 to 64 characters from A–Z, a–z, 0–9, '_', '.' and '-', but got '{name}'.", nameof(name));
        }

        lock (_gate)
        {
            if (!_factories.TryAdd(name, (forFloat, forDouble)))
            {
                throw new ArgumentException($"A layer named '{name}' is already registered; choose another name.", nameof(name));
            }
        }
    }

    /// <summary>Whether a layer type is registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when registered.</returns>
    public bool IsRegistered(string name)
    {
        lock (_gate)
        {
            return _factories.ContainsKey(name);
        }
    }

    /// <summary>Builds a layer of the type registered under <paramref name="name"/> from <paramref name="config"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The registered name.</param>
    /// <param name="config">The layer's configuration.</param>
    /// <returns>A new layer whose name is <paramref name="name"/>; its parameters are the factory's (usually zero until loaded or initialised).</returns>
    /// <exception cref="KeyNotFoundException">Nothing is registered under <paramref name="name"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="InvalidOperationException">The factory built a layer that reports another name.</exception>
    /// <remarks>Whatever the factory throws for a configuration it cannot use passes through.</remarks>
    public Layer<T> Create<T>(string name, ComponentConfig config)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        (Func<ComponentConfig, Layer<float>> ForFloat, Func<ComponentConfig, Layer<double>> ForDouble) factories;
        bool found;
        lock (_gate)
        {
            found = _factories.TryGetValue(name, out factories);
        }

        if (!found)
        {
            throw new KeyNotFoundException($"No layer is registered under the name '{name}'; register it with ComponentRegistry before loading a file that uses it.");
        }

        Layer<T> layer = typeof(T) == typeof(float) ? (Layer<T>)(object)factories.ForFloat(config)
            : typeof(T) == typeof(double) ? (Layer<T>)(object)factories.ForDouble(config)
            : throw new NotSupportedException($"Layers are built in float or double, but {typeof(T).Name} was asked for.");
        return layer.Name == name
            ? layer
            : throw new InvalidOperationException($"The factory registered for the layer '{name}' built one named '{layer.Name}'; a layer must report the name it is registered under.");
    }

    /// <summary>Throws unless <paramref name="layer"/>'s type is registered, so that nothing is saved that cannot be loaded.</summary>
    internal void EnsureRegistered<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!IsRegistered(layer.Name))
        {
            throw new InvalidOperationException($"The layer type '{layer.Name}' ({layer.GetType().Name}) is not registered, so a file holding it could not be loaded; register it with ComponentRegistry.Layers first.");
        }
    }
}
