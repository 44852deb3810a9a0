using System.Globalization;

namespace NeuralNet.Data;

/// <summary>
/// The class column of a CSV text, read row by row when the classes are not given in advance: each distinct label
/// text is kept once, each row only as the number of its text, so memory grows with the rows and the distinct labels,
/// not with a string per row (and not with the rows at all when they are not kept, in a first pass that only finds
/// the classes).
/// </summary>
/// <remarks>
/// The rule (documented on <see cref="Csv"/>): when every label is a run of digits, the classes are the distinct values
/// in increasing order, named by their values ("007" is "7"); labels 0 to K − 1 are then their own classes, and other
/// labels (1 to K, 3 to 9, 0 and 5) are renumbered, never used as indices. With
/// <see cref="CsvOptions.StrictClassIndices"/> labels must be exactly 0 to K − 1 instead. Otherwise the labels are
/// names, in ordinal sorted order. The class count they ask for is checked before any target is allocated.
/// </remarks>
internal sealed class CsvClasses
{
    /// <summary>The largest integer label taken as a class index as it is (<see cref="CsvOptions.StrictClassIndices"/>): a larger one is almost surely a misread column.</summary>
    internal const int MaxLabel = 65535;

    /// <summary>One-hot values a text may ask for per character it holds.</summary>
    internal const long ValuesPerCharacter = 2;

    /// <summary>One-hot values any text may ask for, so that small files with a few classes always load.</summary>
    internal const long ValuesAllowed = 65536;

    private const int Listed = 20;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<int> _firstLines = [];
    private readonly ChunkedList<int>? _rows;
    private readonly int _column;
    private long _rowCount;

    /// <summary>Reads the labels of the 0-based <paramref name="column"/>, keeping each row's label when <paramref name="keepRows"/>.</summary>
    public CsvClasses(int column, bool keepRows)
    {
        _column = column;
        _rows = keepRows ? new ChunkedList<int>() : null;
    }

    /// <summary>The message for an empty label cell.</summary>
    public static DataFormatException EmptyLabel(int line, int column, CsvLayout layout) =>
        new($"Line {line}, column {column}{layout.Describe(column - 1)}: expected a class label, but the cell is empty.", line, column);

    /// <summary>Adds the label of the next row.</summary>
    /// <param name="field">The target field, as split.</param>
    /// <param name="line">The line it stands on.</param>
    /// <param name="layout">The layout, which names the column in messages.</param>
    /// <exception cref="DataFormatException">The label is empty.</exception>
    public void Add(CsvFields field, int line, CsvLayout layout)
    {
        // Doubled quotes are rare; only then is the text copied before it is looked up.
        ReadOnlySpan<char> text = (field.Escaped ? field.Text().AsSpan() : field.Current).Trim();
        if (text.IsEmpty)
        {
            throw EmptyLabel(line, _column + 1, layout);
        }

        var lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out int id))
        {
            id = _ids.Count;
            lookup[text] = id;
            _firstLines.Add(line);
        }

        _rows?.Add(id);
        _rowCount++;
    }

    /// <summary>The classes the labels make, and the class of every row when rows are kept.</summary>
    /// <param name="characters">The characters of the whole text, which bound the class count.</param>
    /// <param name="layout">The layout, which names the column in messages.</param>
    /// <param name="strict">Whether integer labels must be the class indices 0 to K − 1 as they are.</param>
    /// <returns>The label of every row (null when rows were not kept) and the class names in class order.</returns>
    /// <exception cref="DataFormatException">Fewer than 2 classes; under <paramref name="strict"/>, a label above 65535 or a class without a row; more classes than the text may ask for.</exception>
    public (int[]? Labels, string[] Names) Resolve(long characters, CsvLayout layout, bool strict)
    {
        string[] texts = new string[_ids.Count];
        foreach ((string text, int id) in _ids)
        {
            texts[id] = text;
        }

        bool digits = CsvClassMap.AllDigits(texts);
        string[] keys = digits ? [.. texts.Select(t => CsvClassMap.Key(t, digits: true))] : texts;

        // Texts are distinct; keys are too unless leading zeros made two texts one value ("7" and "007").
        bool merged = digits && keys.Where((key, id) => !ReferenceEquals(key, texts[id])).Any();
        int classCount = merged ? new HashSet<string>(keys, StringComparer.Ordinal).Count : keys.Length;
        if (classCount < 2)
        {
            throw Error(_firstLines[0], layout, $"expected at least 2 classes, but every row has the class '{keys[0]}'. When a file holds only some of the classes, give them all in CsvOptions.Classes.");
        }

        IComparer<string> order = digits ? ByValue.Instance : StringComparer.Ordinal;
        string[]? names = null;
        if (digits && strict)
        {
            names = Sorted(keys, merged, order);
            CheckIndices(texts, keys, names, order, layout);
        }

        // Checked before the names are sorted: a text asking for far too many classes costs no more than its labels.
        // The line is the one that brought the last new label, where the demand for classes grew past the limit.
        int demanding = _firstLines[^1];
        long values = _rowCount * classCount;
        long allowed = Math.Min((ValuesPerCharacter * characters) + ValuesAllowed, Array.MaxLength);
        if (values > allowed)
        {
            string remedy = digits
                ? "for a numeric target set Classification = false"
                : "Dataset.ForClassification takes any class count that fits in memory";
            throw Error(demanding, layout, $"the column holds {classCount} classes (the last new one on this line), so one-hot targets of {_rowCount} rows × {classCount} classes = {values} values, but a text of {characters} characters may ask for at most {allowed} ({ValuesPerCharacter} per character, plus {ValuesAllowed}); {remedy}.");
        }

        names ??= Sorted(keys, merged, order);
        int[] classOf = [.. keys.Select(k => Array.BinarySearch(names, k, order))];
        return (_rows is null ? null : Labels(classOf), names);
    }

    /// <summary>Under strict indices: every label at most 65535, and the classes exactly 0 to the largest label.</summary>
    private void CheckIndices(string[] texts, string[] keys, string[] names, IComparer<string> order, CsvLayout layout)
    {
        int firstTooLarge = -1;
        int largest = 0;
        for (int id = 0; id < texts.Length; id++)
        {
            ReadOnlySpan<char> value = CsvClassMap.Canonical(texts[id]);
            if (value.Length > 5 || int.Parse(value, CultureInfo.InvariantCulture) > MaxLabel)
            {
                firstTooLarge = firstTooLarge < 0 || _firstLines[id] < _firstLines[firstTooLarge] ? id : firstTooLarge;
            }

            int compared = order.Compare(keys[id], keys[largest]);
            largest = compared > 0 || (compared == 0 && _firstLines[id] < _firstLines[largest]) ? id : largest;
        }

        if (firstTooLarge >= 0)
        {
            throw Error(_firstLines[firstTooLarge], layout, $"expected a class label in [0, {MaxLabel}] (StrictClassIndices), but got {texts[firstTooLarge]}; for a numeric target set Classification = false.");
        }

        int top = int.Parse(names[^1], CultureInfo.InvariantCulture);
        if (top + 1 != names.Length)
        {
            var present = new HashSet<string>(names, StringComparer.Ordinal);
            List<int> empty = [.. Enumerable.Range(0, top).Where(c => !present.Contains(c.ToString(CultureInfo.InvariantCulture))).Take(Listed)];
            int emptyCount = top + 1 - names.Length;
            string listed = string.Join(", ", empty) + (emptyCount > Listed ? $" and {emptyCount - Listed} more" : string.Empty);
            throw Error(_firstLines[largest], layout, $"label {names[^1]} makes the classes 0 to {top}, but {emptyCount} of them have no row: {listed}. StrictClassIndices takes labels as class indices as they are; without it, labels are renumbered in increasing order and kept as class names.");
        }
    }

    private static string[] Sorted(string[] keys, bool merged, IComparer<string> order)
    {
        string[] names = merged ? [.. keys.Distinct(StringComparer.Ordinal)] : [.. keys];
        Array.Sort(names, order);
        return names;
    }

    private int[] Labels(int[] classOf)
    {
        int[] labels = new int[_rows!.Count];
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

    private DataFormatException Error(int line, CsvLayout layout, string problem) =>
        new($"Line {line}, column {_column + 1}{layout.Describe(_column)}: {problem}", line, _column + 1);

    /// <summary>Runs of digits without leading zeros, in the order of their values: shorter first, then ordinal.</summary>
    private sealed class ByValue : IComparer<string>
    {
        public static readonly ByValue Instance = new();

        public int Compare(string? x, string? y) =>
            x!.Length != y!.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
    }
}
