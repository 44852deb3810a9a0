using System.Globalization;

namespace NeuralNet.Data;

/// <summary>
/// The class column of a CSV text, read row by row: each distinct label text is kept once, each row only as the
/// number of its text, so memory grows with the rows and the distinct labels, not with a string per row.
/// </summary>
internal sealed class CsvClasses
{
    /// <summary>The largest integer label accepted: class labels count from 0, so a larger one is almost surely a misread column.</summary>
    private const int MaxLabel = 65535;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<int> _firstLines = [];
    private readonly ChunkedList<int> _rows = new();
    private readonly int _column;

    /// <summary>Reads the labels of the 0-based <paramref name="column"/>.</summary>
    public CsvClasses(int column) => _column = column;

    /// <summary>Adds the label of the next row.</summary>
    /// <param name="field">The target field, as split.</param>
    /// <param name="line">The line it stands on.</param>
    /// <exception cref="DataFormatException">The label is empty.</exception>
    public void Add(CsvFields field, int line)
    {
        // Doubled quotes are rare; only then is the text copied before it is looked up.
        ReadOnlySpan<char> text = (field.Escaped ? field.Text().AsSpan() : field.Current).Trim();
        if (text.IsEmpty)
        {
            throw new DataFormatException($"Line {line}, column {_column + 1}: expected a class label, but the cell is empty.", line, _column + 1);
        }

        var lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out int id))
        {
            id = _ids.Count;
            lookup[text] = id;
            _firstLines.Add(line);
        }

        _rows.Add(id);
    }

    /// <summary>
    /// The class of every row: integer labels stay as they are, names are numbered in ordinal sorted order.
    /// </summary>
    /// <returns>The labels, and the names when the labels were not all integers.</returns>
    /// <exception cref="DataFormatException">An integer label above the largest accepted.</exception>
    public (int[] Labels, string[]? Names) Resolve()
    {
        string[] texts = new string[_ids.Count];
        foreach ((string text, int id) in _ids)
        {
            texts[id] = text;
        }

        int[] classOf = new int[texts.Length];
        string[]? names = null;
        if (texts.All(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            int firstTooLarge = -1;
            for (int id = 0; id < texts.Length; id++)
            {
                classOf[id] = int.Parse(texts[id], NumberStyles.None, CultureInfo.InvariantCulture);
                if (classOf[id] > MaxLabel && (firstTooLarge < 0 || _firstLines[id] < _firstLines[firstTooLarge]))
                {
                    firstTooLarge = id;
                }
            }

            if (firstTooLarge >= 0)
            {
                int line = _firstLines[firstTooLarge];
                throw new DataFormatException($"Line {line}, column {_column + 1}: expected a class label in [0, {MaxLabel}], but got {texts[firstTooLarge]}; for a numeric target set Classification = false.", line, _column + 1);
            }
        }
        else
        {
            names = [.. texts.Order(StringComparer.Ordinal)];
            for (int id = 0; id < texts.Length; id++)
            {
                classOf[id] = Array.BinarySearch(names, texts[id], StringComparer.Ordinal);
            }
        }

        int[] labels = new int[_rows.Count];
        int row = 0;
        foreach (ArraySegment<int> chunk in _rows.Chunks())
        {
            foreach (int id in chunk.AsSpan())
            {
                labels[row++] = classOf[id];
            }
        }

        return (labels, names);
    }
}
