namespace NeuralNet.Components;

/// <summary>
/// The registered components of one kind (activations, losses, update rules or initialisers): each a stable name and
/// a factory that builds the component from its <see cref="ComponentConfig"/>. Model files, checkpoints, ONNX and the
/// health checks rebuild components through it, never through reflection.
/// </summary>
/// <typeparam name="TComponent">The kind of component.</typeparam>
/// <remarks>Thread-safe. A name is registered once, for the life of the process; the built-in names cannot be taken.</remarks>
public sealed class ComponentTable<TComponent>
    where TComponent : class
{
    private readonly Dictionary<string, Func<ComponentConfig, TComponent>> _factories = new(StringComparer.Ordinal);
    private readonly Func<TComponent, string> _nameOf;
    private readonly Lock _gate = new();

    internal ComponentTable(string kind, Func<TComponent, string> nameOf)
    {
        Kind = kind;
        _nameOf = nameOf;
    }

    /// <summary>What the table holds, such as <c>activation</c>, for messages.</summary>
    public string Kind { get; }

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

    /// <summary>Registers <paramref name="factory"/> under <paramref name="name"/>, the name the component reports.</summary>
    /// <param name="name">The component's stable name: 1 to 64 characters from <c>A–Z a–z 0–9 _ . -</c>, not yet registered.</param>
    /// <param name="factory">Builds the component from the configuration its <c>GetConfig</c> returned.</param>
    /// <exception cref="ArgumentException">The name is invalid or already registered.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public void Register(string name, Func<ComponentConfig, TComponent> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!ComponentConfig.IsValidKey(name))
        {
            throw new ArgumentException($"A {Kind} name must be 1 to 64 characters from A–Z, a–z, 0–9, '_', '.' and '-', but got '{name}'.", nameof(name));
        }

        lock (_gate)
        {
            if (!_factories.TryAdd(name, factory))
            {
                throw new ArgumentException($"A {Kind} named '{name}' is already registered; choose another name.", nameof(name));
            }
        }
    }

    /// <summary>Whether a factory is registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when registered.</returns>
    public bool IsRegistered(string name)
    {
        lock (_gate)
        {
            return _factories.ContainsKey(name);
        }
    }

    /// <summary>Builds the component registered under <paramref name="name"/> from <paramref name="config"/>.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="config">The component's configuration.</param>
    /// <returns>A component whose name is <paramref name="name"/>.</returns>
    /// <exception cref="KeyNotFoundException">Nothing is registered under <paramref name="name"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory built a component that reports another name.</exception>
    /// <remarks>Whatever the factory throws for a configuration it cannot use passes through.</remarks>
    public TComponent Create(string name, ComponentConfig config)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        Func<ComponentConfig, TComponent>? factory;
        lock (_gate)
        {
            _factories.TryGetValue(name, out factory);
        }

        if (factory is null)
        {
            throw new KeyNotFoundException($"No {Kind} is registered under the name '{name}'; register it with ComponentRegistry before loading a file that uses it.");
        }

        TComponent component = factory(config);
        string actual = _nameOf(component);
        return actual == name
            ? component
            : throw new InvalidOperationException($"The factory registered for the {Kind} '{name}' built one named '{actual}'; a component must report the name it is registered under.");
    }

    /// <summary>Throws unless <paramref name="component"/>'s name is registered, so that nothing is saved that cannot be loaded.</summary>
    internal void EnsureRegistered(TComponent component)
    {
        string name = _nameOf(component);
        if (!IsRegistered(name))
        {
            throw new InvalidOperationException($"The {Kind} '{name}' ({component.GetType().Name}) is not registered, so a file holding it could not be loaded; register it with ComponentRegistry first.");
        }
    }
}
