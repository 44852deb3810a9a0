using System.Globalization;
using System.Numerics;

namespace NeuralNet.Data;

/// <summary>Numbers from CSV cells, and the messages for cells that hold none.</summary>
internal static class CsvCells
{
    /// <summary>At most this many characters of a bad cell are shown in a message.</summary>
    internal const int Shown = 64;

    /// <summary>Whether the cell holds nothing but whitespace (quoted or not).</summary>
    public static bool IsEmpty(CsvFields field) => !field.Escaped && field.Current.IsWhiteSpace();

    /// <summary>The finite number the cell holds, parsed with the invariant culture.</summary>
    public static bool TryNumber<T>(CsvFields field, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A cell with doubled quotes holds a quote, so it is no number; the parse is not even tried.
        value = default;
        return !field.Escaped && T.TryParse(field.Current.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && T.IsFinite(value);
    }

    /// <summary>The number of a target cell.</summary>
    /// <exception cref="DataFormatException">The cell is empty (targets are never filled) or holds no finite number.</exception>
    public static T Target<T>(CsvFields field, int line, CsvLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (TryNumber(field, out T value))
        {
            return value;
        }

        throw IsEmpty(field)
            ? Error(field, line, layout, "expected a finite number, but the target cell is empty (targets are never filled)")
            : NotANumber(field, line, layout);
    }

    /// <summary>The message for an empty feature cell when empty cells are refused.</summary>
    public static DataFormatException EmptyFeature(CsvFields field, int line, CsvLayout layout) =>
        Error(field, line, layout, IsEmpty(field)
            ? "expected a finite number, but the cell is empty; CsvOptions.EmptyCells can fill empty feature cells with the column's mean or a constant"
            : $"expected a finite number, but the cell holds '{field.Current.Trim()}', which CsvOptions.MissingValues marks as missing; CsvOptions.EmptyCells can fill missing feature cells with the column's mean or a constant");

    /// <summary>The message for a cell that holds text other than a finite number.</summary>
    public static DataFormatException NotANumber(CsvFields field, int line, CsvLayout layout)
    {
        string text = field.Current.Length > Shown ? string.Concat(field.Current[..Shown], "…") : field.Text();
        return Error(field, line, layout, $"expected a finite number, but got '{text}'");
    }

    private static DataFormatException Error(CsvFields field, int line, CsvLayout layout, string problem) =>
        new($"Line {line}, column {field.Column}{layout.Describe(field.Column - 1)}: {problem}.", line, field.Column);
}
