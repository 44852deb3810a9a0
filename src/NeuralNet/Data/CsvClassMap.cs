namespace NeuralNet.Data;

/// <summary>
/// A fixed list of classes, and the class of a label cell: the classes given in <see cref="CsvOptions.Classes"/>, or
/// those a first pass over a file found. Labels are compared as text, except that when every class is a run of
/// digits, a label that is one too is compared by value ("07" is class "7").
/// </summary>
/// <remarks>Looking a label up allocates nothing unless the cell holds doubled quotes.</remarks>
internal sealed class CsvClassMap
{
    private const int NamesListed = 20;

    private readonly Dictionary<string, int> _classes = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _names;
    private readonly bool _digits;
    private readonly string _source;

    /// <summary>Maps each of <paramref name="names"/> to its position.</summary>
    /// <param name="names">The classes in class order: distinct, not empty, trimmed (checked by <see cref="CsvOptions"/>).</param>
    /// <param name="source">Where the classes come from, for messages.</param>
    public CsvClassMap(IReadOnlyList<string> names, string source)
    {
        _names = names;
        _source = source;
        _digits = AllDigits(names);
        for (int i = 0; i < names.Count; i++)
        {
            _classes[Key(names[i], _digits)] = i;
        }
    }

    /// <summary>The classes, in class order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Whether every text is a run of ASCII digits (none is null).</summary>
    public static bool AllDigits(IEnumerable<string?> texts) => texts.All(t => t is not null && IsDigits(t));

    /// <summary>Whether <paramref name="text"/> is a non-empty run of ASCII digits.</summary>
    public static bool IsDigits(ReadOnlySpan<char> text)
    {
        // A plain loop: it runs once per label cell, and MemoryExtensions.IndexOfAnyExceptInRange allocated 96 bytes a
        // call while its caller was not yet optimised (measured on .NET 10), which made streaming allocate per row.
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }

    /// <summary>A run of digits without its leading zeros ("0" for zeros only); the value it writes, as text.</summary>
    public static ReadOnlySpan<char> Canonical(ReadOnlySpan<char> digits)
    {
        int first = digits.IndexOfAnyExcept('0');
        return first < 0 ? digits[^1..] : digits[first..];
    }

    /// <summary>The text a class is looked up by: a run of digits as <see cref="Canonical"/> when <paramref name="digits"/>, otherwise the text.</summary>
    public static string Key(string text, bool digits) => digits && text.Length > 1 && text[0] == '0' && IsDigits(text) ? Canonical(text).ToString() : text;

    /// <summary>The class of the label in <paramref name="field"/>.</summary>
    /// <exception cref="DataFormatException">The cell is empty or holds no class of the list.</exception>
    public int Find(CsvFields field, int line, CsvLayout layout)
    {
        ReadOnlySpan<char> text = (field.Escaped ? field.Text().AsSpan() : field.Current).Trim();
        if (text.IsEmpty)
        {
            throw CsvClasses.EmptyLabel(line, field.Column, layout);
        }

        ReadOnlySpan<char> key = _digits && IsDigits(text) ? Canonical(text) : text;
        if (_classes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out int id))
        {
            return id;
        }

        string listed = string.Join(", ", _names.Take(NamesListed).Select(n => $"'{n}'")) + (_names.Count > NamesListed ? $" and {_names.Count - NamesListed} more" : string.Empty);
        string shown = text.Length > CsvCells.Shown ? string.Concat(text[..CsvCells.Shown], "…") : text.ToString();
        throw new DataFormatException($"Line {line}, column {field.Column}{layout.Describe(field.Column - 1)}: expected one of the {_names.Count} classes of {_source} ({listed}), but got '{shown}'.", line, field.Column);
    }
}
