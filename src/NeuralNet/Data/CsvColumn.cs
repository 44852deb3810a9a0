using System.Globalization;

namespace NeuralNet.Data;

/// <summary>
/// A column of a CSV file, by its header name or by its 0-based index (negative counts from the end: -1 is the last).
/// A string or an int converts to one, so a list of columns is written <c>["customer_id", 0, -1]</c>.
/// </summary>
/// <remarks>
/// A name is matched against the header cells trimmed of surrounding whitespace, with doubled quotes undone; when two
/// header cells carry the name, the first is meant. Names need a header (<see cref="CsvOptions.HasHeader"/>).
/// </remarks>
public readonly record struct CsvColumn
{
    private CsvColumn(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The header name, or null when the column is given by index.</summary>
    public string? Name { get; }

    /// <summary>The 0-based index (negative counts from the end) when <see cref="Name"/> is null; 0 otherwise.</summary>
    public int Index { get; }

    /// <summary>The column whose header cell is <paramref name="name"/>.</summary>
    /// <param name="name">The header name; not empty.</param>
    /// <returns>The column.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static CsvColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new CsvColumn(name, 0);
    }

    /// <summary>The column at <paramref name="index"/>.</summary>
    /// <param name="index">0-based; negative counts from the end (-1 is the last column).</param>
    /// <returns>The column.</returns>
    public static CsvColumn At(int index) => new(null, index);

    /// <summary>The column whose header cell is <paramref name="name"/> (see <see cref="Named"/>).</summary>
    /// <param name="name">The header name; not empty.</param>
    public static implicit operator CsvColumn(string name) => Named(name);

    /// <summary>The column at <paramref name="index"/> (see <see cref="At"/>).</summary>
    /// <param name="index">0-based; negative counts from the end.</param>
    public static implicit operator CsvColumn(int index) => At(index);

    /// <summary>The column at <paramref name="index"/> (the named alternative of the conversion from int).</summary>
    /// <param name="index">0-based; negative counts from the end.</param>
    /// <returns>The column.</returns>
    public static CsvColumn FromInt32(int index) => At(index);

    /// <summary>The column named <paramref name="name"/> (the named alternative of the conversion from string).</summary>
    /// <param name="name">The header name; not empty.</param>
    /// <returns>The column.</returns>
    public static CsvColumn FromString(string name) => Named(name);

    /// <summary>'name', or "index i".</summary>
    /// <returns>How messages name the column as it was given.</returns>
    public override string ToString() => Name is null ? string.Create(CultureInfo.InvariantCulture, $"index {Index}") : $"'{Name}'";
}
