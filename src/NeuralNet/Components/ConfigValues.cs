using System.Globalization;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Components;

/// <summary>The kinds of value a <see cref="ComponentConfig"/> holds: how each prints, compares and is named in messages.</summary>
internal static class ConfigValues
{
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        double[] values => $"[{string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]",
        _ => value.ToString() ?? string.Empty,
    };

    public static bool Equal(object a, object b) => (a, b) switch
    {
        // Bit equality, so that NaN equals NaN and a stored value equals itself after a round trip.
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (double[] x, double[] y) => x.Length == y.Length && x.Zip(y).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second)),
        (Activation x, Activation y) => x.Name == y.Name && x.GetConfig().Equals(y.GetConfig()),
        (Initializer x, Initializer y) => x.Name == y.Name && x.GetConfig().Equals(y.GetConfig()),
        (Loss x, Loss y) => x.Name == y.Name && x.GetConfig().Equals(y.GetConfig()),
        (UpdateRule x, UpdateRule y) => x.Name == y.Name && x.GetConfig().Equals(y.GetConfig()),
        _ => a.Equals(b),
    };

    public static string KindOf(object value) => value switch
    {
        double => "a number",
        long => "a whole number",
        bool => "a boolean",
        string => "text",
        double[] => "a list of numbers",
        Activation => "an activation",
        Initializer => "an initialiser",
        Loss => "a loss",
        UpdateRule => "an update rule",
        _ => value.GetType().Name,
    };

    public static InvalidCastException Mismatch(string key, object value, string expected)
        => new($"The configuration entry '{key}' holds {KindOf(value)}, but {expected} was expected.");
}
