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
    /// True (the default) for class labels: non-negative integers, or names that are numbered in sorted order.
    /// False for a numeric regression target.
    /// </summary>
    public bool Classification { get; init; } = true;
}
