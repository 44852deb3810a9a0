using System.Globalization;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Components;

/// <summary>
/// A component's hyper-parameters by name: what model files, checkpoints and ONNX exports record to rebuild a layer,
/// activation, loss, update rule or initialiser, and what the factory registered in <see cref="ComponentRegistry"/>
/// reads back (Keras calls this a component's <c>get_config</c>).
/// </summary>
/// <remarks>
/// Keys are identifiers of 1 to 64 characters from <c>A–Z a–z 0–9 _ . -</c>. Values are numbers, whole numbers,
/// booleans, text, lists of numbers, or other components (a layer's activation and initialisers), which are stored
/// by their own name and configuration. Two configurations are equal when they hold the same keys with equal values,
/// in any order. A getter that finds no entry throws <see cref="KeyNotFoundException"/>; one that finds a value of
/// another kind throws <see cref="InvalidCastException"/>; the overloads with a default value serve entries added to
/// a component after files without them were written.
/// </remarks>
public sealed class ComponentConfig : IEquatable<ComponentConfig>
{
    private const int MaxKeyLength = 64;
    private readonly List<KeyValuePair<string, object>> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys, in the order they were set.</summary>
    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);

    /// <summary>The entries in the order they were set: values are double, long, bool, string, double[] or a component.</summary>
    internal IReadOnlyList<KeyValuePair<string, object>> Entries => _entries;

    /// <summary>Whether an entry named <paramref name="key"/> exists.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when the entry exists.</returns>
    public bool Contains(string key) => IndexOf(key) >= 0;

    /// <summary>Sets a number.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; NaN and infinities are kept as they are.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    public ComponentConfig Set(string key, double value) => Put(key, value);

    /// <summary>Sets a whole number.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    public ComponentConfig Set(string key, long value) => Put(key, value);

    /// <summary>Sets a boolean.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    public ComponentConfig Set(string key, bool value) => Put(key, value);

    /// <summary>Sets a text value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The text.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public ComponentConfig Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Put(key, value);
    }

    /// <summary>Sets a list of numbers (copied).</summary>
    /// <param name="key">The key.</param>
    /// <param name="values">The numbers.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public ComponentConfig Set(string key, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Put(key, values.ToArray());
    }

    /// <summary>Sets an activation, stored by its registered name and configuration.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The component.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid key.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public ComponentConfig Set(string key, Activation value) => PutComponent(key, value);

    /// <summary>Sets an initialiser, stored by its registered name and configuration.</summary>
    /// <inheritdoc cref="Set(string, Activation)"/>
    public ComponentConfig Set(string key, Initializer value) => PutComponent(key, value);

    /// <summary>Sets a loss, stored by its registered name and configuration.</summary>
    /// <inheritdoc cref="Set(string, Activation)"/>
    public ComponentConfig Set(string key, Loss value) => PutComponent(key, value);

    /// <summary>Sets an update rule, stored by its registered name and configuration.</summary>
    /// <inheritdoc cref="Set(string, Activation)"/>
    public ComponentConfig Set(string key, UpdateRule value) => PutComponent(key, value);

    /// <summary>A number; a whole number is converted.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not a number.</exception>
    public double GetDouble(string key) => Get(key, "a number") switch
    {
        double d => d,
        long l => l,
        object other => throw ConfigValues.Mismatch(key, other, "a number"),
    };

    /// <summary>A number, or <paramref name="defaultValue"/> when there is no such entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value for a configuration written without this entry.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The entry is not a number.</exception>
    public double GetDouble(string key, double defaultValue) => Contains(key) ? GetDouble(key) : defaultValue;

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not a whole number.</exception>
    /// <exception cref="OverflowException">The value does not fit an <see cref="int"/>.</exception>
    public int GetInt32(string key)
    {
        object stored = Get(key, "a whole number");
        long value = stored is long l ? l : throw ConfigValues.Mismatch(key, stored, "a whole number");
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new OverflowException(FormattableString.Invariant($"The configuration entry '{key}' is {value}, outside the range of a 32-bit integer."));
    }

    /// <summary>A whole number that fits an <see cref="int"/>, or <paramref name="defaultValue"/> when there is no such entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value for a configuration written without this entry.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The entry is not a whole number.</exception>
    /// <exception cref="OverflowException">The value does not fit an <see cref="int"/>.</exception>
    public int GetInt32(string key, int defaultValue) => Contains(key) ? GetInt32(key) : defaultValue;

    /// <summary>A boolean.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not a boolean.</exception>
    public bool GetBoolean(string key) => Get(key, "a boolean") is bool b ? b : throw ConfigValues.Mismatch(key, Get(key, "a boolean"), "a boolean");

    /// <summary>A boolean, or <paramref name="defaultValue"/> when there is no such entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value for a configuration written without this entry.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The entry is not a boolean.</exception>
    public bool GetBoolean(string key, bool defaultValue) => Contains(key) ? GetBoolean(key) : defaultValue;

    /// <summary>A text value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not text.</exception>
    public string GetString(string key) => Get(key, "text") is string s ? s : throw ConfigValues.Mismatch(key, Get(key, "text"), "text");

    /// <summary>A list of numbers (a copy).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The values.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not a list of numbers.</exception>
    public double[] GetDoubles(string key) => Get(key, "a list of numbers") is double[] values ? (double[])values.Clone() : throw ConfigValues.Mismatch(key, Get(key, "a list of numbers"), "a list of numbers");

    /// <summary>An activation.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not an activation.</exception>
    public Activation GetActivation(string key) => GetComponent<Activation>(key, "an activation");

    /// <summary>An initialiser.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The initialiser.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not an initialiser.</exception>
    public Initializer GetInitializer(string key) => GetComponent<Initializer>(key, "an initialiser");

    /// <summary>A loss.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not a loss.</exception>
    public Loss GetLoss(string key) => GetComponent<Loss>(key, "a loss");

    /// <summary>An update rule.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The update rule.</returns>
    /// <exception cref="KeyNotFoundException">There is no such entry.</exception>
    /// <exception cref="InvalidCastException">The entry is not an update rule.</exception>
    public UpdateRule GetUpdateRule(string key) => GetComponent<UpdateRule>(key, "an update rule");

    /// <inheritdoc/>
    public bool Equals(ComponentConfig? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (KeyValuePair<string, object> entry in _entries)
        {
            int index = other.IndexOf(entry.Key);
            if (index < 0 || !ConfigValues.Equal(entry.Value, other._entries[index].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ComponentConfig);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Order-insensitive, like Equals: a sum of per-entry hashes.
        int hash = Count;
        foreach (KeyValuePair<string, object> entry in _entries)
        {
            hash = unchecked(hash + StringComparer.Ordinal.GetHashCode(entry.Key));
        }

        return hash;
    }

    /// <summary>The entries as <c>key=value</c>, comma-separated, with invariant number formatting.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Join(", ", _entries.Select(entry => $"{entry.Key}={ConfigValues.Format(entry.Value)}"));

    /// <summary>Sets an entry of any supported kind (the codec's way in).</summary>
    internal ComponentConfig SetValue(string key, object value) => Put(key, value);

    /// <summary>Whether <paramref name="key"/> is a valid key.</summary>
    internal static bool IsValidKey(string? key)
        => key is { Length: > 0 and <= MaxKeyLength } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private TComponent GetComponent<TComponent>(string key, string expected)
        where TComponent : class
        => Get(key, expected) as TComponent ?? throw ConfigValues.Mismatch(key, Get(key, expected), expected);

    private ComponentConfig PutComponent(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Put(key, value);
    }

    private object Get(string key, string expected)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            string present = Count == 0 ? "no entries" : "entries " + string.Join(", ", Keys.Select(k => $"'{k}'"));
            throw new KeyNotFoundException($"The configuration has no entry '{key}' ({expected} was expected); it has {present}.");
        }

        return _entries[index].Value;
    }

    private ComponentConfig Put(string key, object value)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"A configuration key must be 1 to {MaxKeyLength} characters from A–Z, a–z, 0–9, '_', '.' and '-', but got '{key}'.", nameof(key));
        }

        int index = IndexOf(key);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
        }
        else
        {
            _entries.Add(new(key, value));
        }

        return this;
    }

    private int IndexOf(string key) => _entries.FindIndex(entry => entry.Key == key);
}
