using System.Collections;

namespace NeuralNet.Data;

/// <summary>
/// Some cells of a header line, as a read-only list split from the line when first read: a dataset keeps its feature
/// names at the cost of one line until someone asks for them.
/// </summary>
internal sealed class CsvHeaderNames(string header, char separator, int[] columns) : IReadOnlyList<string>
{
    private string[]? _names;

    /// <inheritdoc/>
    public int Count => columns.Length;

    /// <inheritdoc/>
    public string this[int index] => Names()[index];

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Names()).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string[] Names() => LazyInitializer.EnsureInitialized(ref _names, () =>
    {
        List<string> all = CsvColumns.Names(header, separator);
        return [.. columns.Select(c => all[c])];
    });
}
