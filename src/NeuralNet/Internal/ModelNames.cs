using System.Collections.ObjectModel;

namespace NeuralNet.Internal;

/// <summary>
/// The checks names pass before a network keeps them: one per input or per class, none null, class names distinct
/// (a label must name one class). Every message names both counts, or the name at fault.
/// </summary>
internal static class ModelNames
{
    /// <summary>A read-only copy of <paramref name="names"/>, one per input; null stays null.</summary>
    public static ReadOnlyCollection<string>? Features(IReadOnlyList<string>? names, int inputs, string owner, string? paramName)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Count != inputs)
        {
            throw new ArgumentException($"{owner} takes {inputs} features, so it needs {inputs} feature names, but got {names.Count}.", paramName);
        }

        return Copy(names, "feature", paramName);
    }

    /// <summary>A read-only copy of <paramref name="names"/>, one distinct name per class; null stays null.</summary>
    public static ReadOnlyCollection<string>? Classes(IReadOnlyList<string>? names, int classes, string owner, string? paramName)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Count != classes)
        {
            throw new ArgumentException($"{owner} separates {classes} classes, so it needs {classes} class names, but got {names.Count}.", paramName);
        }

        ReadOnlyCollection<string> copy = Copy(names, "class", paramName);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < copy.Count; k++)
        {
            if (!seen.TryAdd(copy[k], k))
            {
                throw new ArgumentException($"Class names must be distinct, but classes {seen[copy[k]]} and {k} are both named '{copy[k]}'.", paramName);
            }
        }

        return copy;
    }

    /// <summary>The names as text for messages: <c>['setosa', 'versicolor']</c>.</summary>
    public static string Describe(IReadOnlyList<string> names) => "[" + string.Join(", ", names.Select(n => $"'{n}'")) + "]";

    private static ReadOnlyCollection<string> Copy(IReadOnlyList<string> names, string kind, string? paramName)
    {
        var copy = new string[names.Count];
        for (int k = 0; k < copy.Length; k++)
        {
            copy[k] = names[k] ?? throw new ArgumentException($"Expected a {kind} name at position {k}, but got null.", paramName);
        }

        return Array.AsReadOnly(copy);
    }
}
