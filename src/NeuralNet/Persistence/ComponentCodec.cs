using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Persistence;

/// <summary>
/// Writes and reads components and their configurations in the model format (version 2 on): a component is its
/// registered name and its configuration; a configuration is a count of entries, each a key, a type tag and a value.
/// Components are rebuilt through <see cref="ComponentRegistry"/>, and anything wrong with what a file names (an
/// unregistered name, an entry a factory rejects) becomes a <see cref="ModelFormatException"/> naming it.
/// </summary>
internal static class ComponentCodec
{
    private const byte NumberTag = 1;
    private const byte WholeNumberTag = 2;
    private const byte BooleanTag = 3;
    private const byte TextTag = 4;
    private const byte NumbersTag = 5;
    private const byte ActivationTag = 6;
    private const byte InitializerTag = 7;
    private const byte LossTag = 8;
    private const byte UpdateRuleTag = 9;

    /// <summary>How deep components may nest in a configuration (a layer's activation is depth 1).</summary>
    private const int MaxDepth = 8;

    public static void WriteLoss(ModelWriter writer, Loss loss)
    {
        ComponentRegistry.Losses.EnsureRegistered(loss);
        writer.Text(loss.Name);
        WriteConfig(writer, loss.GetConfig());
    }

    public static void WriteUpdateRule(ModelWriter writer, UpdateRule rule)
    {
        ComponentRegistry.UpdateRules.EnsureRegistered(rule);
        writer.Text(rule.Name);
        WriteConfig(writer, rule.GetConfig());
    }

    public static void WriteConfig(ModelWriter writer, ComponentConfig config)
    {
        if (config.Count > byte.MaxValue)
        {
            throw new InvalidOperationException($"A configuration holds at most {byte.MaxValue} entries, but this one has {config.Count}.");
        }

        writer.Byte((byte)config.Count);
        foreach ((string key, object value) in config.Entries)
        {
            writer.Text(key);
            switch (value)
            {
                case double number:
                    writer.Byte(NumberTag);
                    writer.Double(number);
                    break;
                case long whole:
                    writer.Byte(WholeNumberTag);
                    writer.Int64(whole);
                    break;
                case bool flag:
                    writer.Byte(BooleanTag);
                    writer.Byte(flag ? (byte)1 : (byte)0);
                    break;
                case string text:
                    writer.Byte(TextTag);
                    writer.Utf8(text);
                    break;
                case double[] numbers:
                    writer.Byte(NumbersTag);
                    writer.Int32(numbers.Length);
                    writer.Values<double>(numbers);
                    break;
                case Activation activation:
                    ComponentRegistry.Activations.EnsureRegistered(activation);
                    WriteNested(writer, ActivationTag, activation.Name, activation.GetConfig());
                    break;
                case Initializer initializer:
                    ComponentRegistry.Initializers.EnsureRegistered(initializer);
                    WriteNested(writer, InitializerTag, initializer.Name, initializer.GetConfig());
                    break;
                case Loss loss:
                    ComponentRegistry.Losses.EnsureRegistered(loss);
                    WriteNested(writer, LossTag, loss.Name, loss.GetConfig());
                    break;
                case UpdateRule rule:
                    ComponentRegistry.UpdateRules.EnsureRegistered(rule);
                    WriteNested(writer, UpdateRuleTag, rule.Name, rule.GetConfig());
                    break;
                default:
                    throw new InvalidOperationException($"The configuration entry '{key}' holds a {value.GetType().Name}, which the model format cannot store.");
            }
        }
    }

    public static Loss ReadLoss(ModelReader reader)
    {
        string name = reader.Text("loss");
        return Create(reader, ComponentRegistry.Losses, name, ReadConfig(reader, 0));
    }

    public static UpdateRule ReadUpdateRule(ModelReader reader)
    {
        string name = reader.Text("update rule");
        return Create(reader, ComponentRegistry.UpdateRules, name, ReadConfig(reader, 0));
    }

    public static ComponentConfig ReadConfig(ModelReader reader, int depth)
    {
        var config = new ComponentConfig();
        int count = reader.Byte();
        for (int i = 0; i < count; i++)
        {
            string key = reader.Text("a configuration key");
            if (!ComponentConfig.IsValidKey(key) || config.Contains(key))
            {
                throw reader.Corrupt($"expected a new configuration key, but found '{key}'");
            }

            byte tag = reader.Byte();
            object value = tag switch
            {
                NumberTag => reader.Double(),
                WholeNumberTag => reader.Int64(),
                BooleanTag => reader.Byte() switch
                {
                    0 => false,
                    1 => true,
                    byte other => throw reader.Corrupt($"expected the boolean '{key}' as 0 or 1, but found {other}"),
                },
                TextTag => reader.Utf8($"the text '{key}'"),
                NumbersTag => reader.Values<double>(reader.Int32($"the length of the list '{key}'", 0, int.MaxValue), $"the list '{key}'"),
                ActivationTag => ReadNested(reader, ComponentRegistry.Activations, depth),
                InitializerTag => ReadNested(reader, ComponentRegistry.Initializers, depth),
                LossTag => ReadNested(reader, ComponentRegistry.Losses, depth),
                UpdateRuleTag => ReadNested(reader, ComponentRegistry.UpdateRules, depth),
                _ => throw reader.Corrupt($"expected a value type from {NumberTag} to {UpdateRuleTag} for '{key}', but found {tag}"),
            };
            config.SetValue(key, value);
        }

        return config;
    }

    /// <summary>
    /// Builds a registered component, turning what goes wrong into a <see cref="ModelFormatException"/>: an
    /// unregistered name, or a configuration its factory rejects.
    /// </summary>
    public static TComponent Create<TComponent>(ModelReader reader, ComponentTable<TComponent> table, string name, ComponentConfig config)
        where TComponent : class
    {
        if (!table.IsRegistered(name))
        {
            throw reader.Corrupt($"the {table.Kind} '{name}' is not registered; register it with ComponentRegistry before loading a file that uses it");
        }

        try
        {
            return table.Create(name, config);
        }
        catch (Exception e) when (IsConfigurationError(e))
        {
            throw reader.Corrupt($"the {table.Kind} '{name}' cannot be built from its configuration ({config}): {e.Message}");
        }
    }

    /// <summary>The exceptions a factory throws for a configuration it cannot use.</summary>
    public static bool IsConfigurationError(Exception e)
        => e is ArgumentException or KeyNotFoundException or InvalidCastException or FormatException or OverflowException or InvalidDataException;

    private static void WriteNested(ModelWriter writer, byte tag, string name, ComponentConfig config)
    {
        writer.Byte(tag);
        writer.Text(name);
        WriteConfig(writer, config);
    }

    private static TComponent ReadNested<TComponent>(ModelReader reader, ComponentTable<TComponent> table, int depth)
        where TComponent : class
    {
        if (depth >= MaxDepth)
        {
            throw reader.Corrupt($"expected components nested at most {MaxDepth} deep, but they go deeper");
        }

        string name = reader.Text(table.Kind);
        return Create(reader, table, name, ReadConfig(reader, depth + 1));
    }
}
