namespace NeuralNet.Data;

/// <summary>
/// The class column of a CSV text, read row by row: each distinct label text is kept once, each row only as the
/// number of its text, so memory grows with the rows and the distinct labels, not with a string per row.
/// </summary>
/// <remarks>
/// The labels are integers when every distinct text is a run of digits, names otherwise. The class count they ask
/// for is checked before any target is allocated (see <see cref="Csv"/> for the rule).
/// </remarks>
internal sealed class CsvClasses
{
    /// <summary>The largest integer label accepted: class labels count from 0, so a larger one is almost surely a misread column.</summary>
    internal const int MaxLabel = 65535;

    /// <summary>One-hot values a text may ask for per character it holds.</summary>
    internal const long ValuesPerCharacter = 2;

    /// <summary>One-hot values any text may ask for, so that small files with a few classes always load.</summary>
    internal const long ValuesAllowed = 65536;

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
    /// The class of every row: integer labels stay as they are (with at least 2 classes), names are numbered in
    /// ordinal sorted order.
    /// </summary>
    /// <param name="characters">The characters of the whole text, which bound the class count.</param>
    /// <param name="layout">The layout, which names the column in messages.</param>
    /// <returns>The labels, the names when the labels were not all integers, and the class count.</returns>
    /// <exception cref="DataFormatException">An integer label above 65535, a single class name, or more classes than the text may ask for.</exception>
    public (int[] Labels, string[]? Names, int ClassCount) Resolve(long characters, CsvLayout layout)
    {
        string[] texts = new string[_ids.Count];
        foreach ((string text, int id) in _ids)
        {
            texts[id] = text;
        }

        int[] classOf = new int[texts.Length];
        string[]? names = null;
        int classCount;
        int demandingLine;
        string demand;
        if (texts.All(t => t.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0))
        {
            int largest = Numbers(texts, classOf);
            classCount = Math.Max(2, classOf[largest] + 1);
            demandingLine = _firstLines[largest];
            demand = $"label {texts[largest]} asks for {classCount} classes";
        }
        else
        {
            names = [.. texts.Order(StringComparer.Ordinal)];
            for (int id = 0; id < texts.Length; id++)
            {
                classOf[id] = Array.BinarySearch(names, texts[id], StringComparer.Ordinal);
            }

            classCount = names.Length;
            if (classCount < 2)
            {
                throw Error(_firstLines[0], $"{layout.Describe(_column)}: expected at least 2 classes, but every row has the class '{names[0]}'.");
            }

            demandingLine = _firstLines[^1];
            demand = $"the column names {classCount} classes (the last new one on this line)";
        }

        long values = _rows.Count * classCount;
        long allowed = Math.Min((ValuesPerCharacter * characters) + ValuesAllowed, Array.MaxLength);
        if (values > allowed)
        {
            string remedy = names is null
                ? "for a numeric target set Classification = false"
                : "Dataset.ForClassification takes any class count that fits in memory";
            throw Error(demandingLine, $"{layout.Describe(_column)}: {demand}, so one-hot targets of {_rows.Count} rows × {classCount} classes = {values} values, but a text of {characters} characters may ask for at most {allowed} ({ValuesPerCharacter} per character, plus {ValuesAllowed}); {remedy}.");
        }

        return (Labels(classOf), names, classCount);
    }

    /// <summary>Parses every (all-digit) text into <paramref name="values"/>, refusing labels above the largest accepted.</summary>
    /// <returns>The id of the largest label.</returns>
    private int Numbers(string[] texts, int[] values)
    {
        int largest = 0;
        int firstTooLarge = -1;
        for (int id = 0; id < texts.Length; id++)
        {
            long value = 0;
            foreach (char digit in texts[id])
            {
                // Saturates above the largest label, so that no run of digits can overflow.
                value = Math.Min((value * 10) + (digit - '0'), MaxLabel + 1L);
            }

            if (value > MaxLabel)
            {
                firstTooLarge = firstTooLarge < 0 || _firstLines[id] < _firstLines[firstTooLarge] ? id : firstTooLarge;
                continue;
            }

            values[id] = (int)value;
            largest = values[id] > values[largest] || (values[id] == values[largest] && _firstLines[id] < _firstLines[largest]) ? id : largest;
        }

        if (firstTooLarge >= 0)
        {
            throw Error(_firstLines[firstTooLarge], $": expected a class label in [0, {MaxLabel}], but got {texts[firstTooLarge]}; for a numeric target set Classification = false.");
        }

        return largest;
    }

    private int[] Labels(int[] classOf)
    {
        int[] labels = new int[_rows.Count];
        int row = 0;
        foreach (ArraySegment<int> chunk in _rows.Chunks())
        {
            foreach (int id in chunk.AsSpan())
            {
                labels[row++] = classOf[id];
            }
        }

        return labels;
    }

    private DataFormatException Error(int line, string problem) =>
        new($"Line {line}, column {_column + 1}{problem}", line, _column + 1);
}
