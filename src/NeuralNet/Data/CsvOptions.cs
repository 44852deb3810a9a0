namespace NeuralNet.Data;

/// <summary>How to read a CSV file into a dataset.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first line names the columns. Default true.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator. Default ','.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The target column by header name; takes precedence over <see cref="TargetColumnIndex"/>.</summary>
    public string? TargetColumn { get; init; }

    /// <summary>The target column by 0-based index; negative counts from the end (-1 = last, the default).</summary>
    public int TargetColumnIndex { get; init; } = -1;

    /// <summary>
    /// True (the default) for class labels: integers from 0 to 65535, or at least 2 names, numbered in sorted order;
    /// the classes they ask for are bounded by the length of the text (see <see cref="Csv"/>).
    /// False for a numeric regression target.
    /// </summary>
    public bool Classification { get; init; } = true;
}
