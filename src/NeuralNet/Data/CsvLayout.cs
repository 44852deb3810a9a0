namespace NeuralNet.Data;

/// <summary>
/// What the first line of a CSV text and the options decide: how many fields every line holds, and the role of each
/// column (a feature, a target, or skipped), with the feature and target order; when the first line is a header, the
/// names of the columns.
/// </summary>
/// <remarks>
/// The header is kept as the line it was, and split again only to name a column: a file of a million columns costs
/// no string per column until <see cref="FeatureNames"/> is read. Features and targets are numbered here in file
/// order; the slots map them to the order of the matrix columns, which <see cref="CsvOptions.FeatureColumns"/> and
/// <see cref="CsvOptions.TargetColumns"/> may choose.
/// </remarks>
internal sealed class CsvLayout
{
    /// <summary>The role of a column that is neither a feature nor a target.</summary>
    public const int Skipped = -1;

    private readonly char _separator;

    // The role of each column, or null when there is one target, at _target, and every other column is a feature.
    private readonly int[]? _roles;
    private readonly int _target;
    private readonly int[]? _featureSlots;
    private readonly int[] _targetSlots;

    private CsvLayout(string? header, char separator, int headerLine, int[]? roles, int target, int[]? featureSlots, int[] targetSlots, int featureCount, int width)
    {
        Header = header;
        _separator = separator;
        HeaderLine = headerLine;
        _roles = roles;
        _target = target;
        _featureSlots = featureSlots;
        _targetSlots = targetSlots;
        FeatureCount = featureCount;
        Width = width;
    }

    /// <summary>The header line, or null when the text has none.</summary>
    public string? Header { get; }

    /// <summary>The 1-based line the layout was read from (the header, or the first data line).</summary>
    public int HeaderLine { get; }

    /// <summary>The number of fields in every line.</summary>
    public int Width { get; }

    /// <summary>The number of feature columns.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of target columns.</summary>
    public int TargetCount => _targetSlots.Length;

    /// <summary>The 0-based column of the first target (the class column of a classification).</summary>
    public int TargetColumn => _roles is null ? _target : Array.IndexOf(_roles, -2);

    /// <summary>The header names of the feature columns, in feature order (split when first read), or null when the text has no header.</summary>
    public IReadOnlyList<string>? FeatureNames()
    {
        if (Header is null)
        {
            return null;
        }

        int[] columns = new int[FeatureCount];
        for (int c = 0; c < Width; c++)
        {
            if (Role(c) >= 0)
            {
                columns[FeatureSlot(Role(c))] = c;
            }
        }

        return new CsvHeaderNames(Header, _separator, columns);
    }

    /// <summary>The layout the first non-blank line and the options give.</summary>
    /// <exception cref="DataFormatException">Fewer than 2 fields, a column the line does not have, a column given two roles, or no feature column.</exception>
    public static CsvLayout Of(ReadOnlySpan<char> line, int lineNumber, CsvOptions options)
    {
        int width = Count(line, options.Separator, lineNumber);
        if (width < 2)
        {
            throw new DataFormatException($"Line {lineNumber}: expected at least 2 columns (features and a target), but got {width}.", lineNumber, null);
        }

        string? header = options.HasHeader ? line.ToString() : null;
        var columns = new CsvColumns(header, options.Separator, width, lineNumber);
        if (options.IgnoreColumns is not { Count: > 0 } && options.FeatureColumns is null && options.TargetColumns is not { Count: > 1 })
        {
            // One target, every other column a feature in file order: the roles follow from the target's column, and
            // a file of a million columns needs no array of them.
            return new CsvLayout(header, options.Separator, lineNumber, null, columns.TargetOnly(options), null, [0], width - 1, width);
        }

        int[] roles = new int[width];
        Array.Fill(roles, CsvColumns.Unassigned);
        int targets = columns.AssignTargets(roles, options);
        columns.AssignSkipped(roles, options.IgnoreColumns);
        int features = columns.AssignFeatures(roles, options.FeatureColumns);

        // Roles hold slots so far (a feature's slot s as s, a target's t as -2 - t); number both in file order and
        // keep the slot of each, which is the identity for features unless FeatureColumns reorders them.
        int[]? featureSlots = options.FeatureColumns is null ? null : new int[features];
        int[] targetSlots = new int[targets];
        int feature = 0;
        int target = 0;
        for (int c = 0; c < width; c++)
        {
            if (roles[c] >= 0)
            {
                if (featureSlots is not null)
                {
                    featureSlots[feature] = roles[c];
                }

                roles[c] = feature++;
            }
            else if (roles[c] <= -2)
            {
                targetSlots[target] = -2 - roles[c];
                roles[c] = -2 - target++;
            }
        }

        return new CsvLayout(header, options.Separator, lineNumber, roles, -1, featureSlots, targetSlots, features, width);
    }

    /// <summary>The role of the 0-based <paramref name="column"/>: a feature's file-order index (≥ 0), <see cref="Skipped"/>, or −2 − a target's file-order index.</summary>
    public int Role(int column) => _roles is not null ? _roles[column]
        : column < _target ? column
        : column > _target ? column - 1
        : -2;

    /// <summary>The matrix column of the feature with file-order index <paramref name="feature"/>.</summary>
    public int FeatureSlot(int feature) => _featureSlots is null ? feature : _featureSlots[feature];

    /// <summary>The target-matrix column of the target with file-order index <paramref name="target"/>.</summary>
    public int TargetSlot(int target) => _targetSlots[target];

    /// <summary>The 0-based column of the feature with file-order index <paramref name="feature"/>.</summary>
    public int FeatureColumn(int feature) => _roles is not null ? Array.IndexOf(_roles, feature)
        : feature < _target ? feature
        : feature + 1;

    /// <summary>Values in feature order, rearranged into file order.</summary>
    public T[] ToFileOrder<T>(T[] featureOrder) => [.. Enumerable.Range(0, FeatureCount).Select(k => featureOrder[FeatureSlot(k)])];

    /// <summary>Values in file order, rearranged into feature order.</summary>
    public T[] ToFeatureOrder<T>(T[] fileOrder)
    {
        var result = new T[fileOrder.Length];
        for (int k = 0; k < fileOrder.Length; k++)
        {
            result[FeatureSlot(k)] = fileOrder[k];
        }

        return result;
    }

    /// <summary>Checks that <paramref name="line"/> holds <see cref="Width"/> well-formed fields.</summary>
    /// <exception cref="DataFormatException">It holds another number, or a field is malformed.</exception>
    public void CheckWidth(ReadOnlySpan<char> line, int lineNumber)
    {
        int count = Count(line, _separator, lineNumber);
        if (count != Width)
        {
            throw new DataFormatException($"Line {lineNumber}: expected {Width} fields like the first line, but got {count}.", lineNumber, null);
        }
    }

    /// <summary>" ('name')" for the 0-based <paramref name="column"/>, or nothing when the text has no header.</summary>
    public string Describe(int column) => CsvColumns.Describe(Header, _separator, column);

    /// <summary>The number of well-formed fields in <paramref name="line"/>.</summary>
    internal static int Count(ReadOnlySpan<char> line, char separator, int lineNumber)
    {
        var fields = new CsvFields(line, separator, lineNumber);
        int count = 0;
        while (fields.MoveNext())
        {
            count++;
        }

        return count;
    }
}
