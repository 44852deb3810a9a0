namespace NeuralNet.Data;

/// <summary>
/// Gives the columns of a CSV text their roles from the options: targets, then skipped columns, then features;
/// every column named or indexed must exist, and no column may take two roles.
/// </summary>
/// <remarks>
/// Roles are written into one array with an entry per column: <see cref="Unassigned"/>, <see cref="CsvLayout.Skipped"/>,
/// a feature's slot s as s, a target's slot t as −2 − t. A name is looked up by scanning the header line, which
/// allocates nothing unless a cell holds doubled quotes.
/// </remarks>
internal sealed class CsvColumns(string? header, char separator, int width, int line)
{
    /// <summary>The role of a column no option has spoken of yet.</summary>
    public const int Unassigned = int.MinValue;

    private const int NamesListed = 20;

    /// <summary>" ('name')" for the 0-based <paramref name="column"/> of <paramref name="header"/>, or nothing without a header.</summary>
    public static string Describe(string? header, char separator, int column)
    {
        if (header is null)
        {
            return string.Empty;
        }

        var fields = new CsvFields(header, separator, 1);
        for (int skipped = 0; skipped <= column; skipped++)
        {
            fields.MoveNext();
        }

        return $" ('{fields.Text().Trim()}')";
    }

    /// <summary>Every cell of <paramref name="header"/>, trimmed, doubled quotes undone.</summary>
    public static List<string> Names(string header, char separator)
    {
        var names = new List<string>();
        var fields = new CsvFields(header, separator, 1);
        while (fields.MoveNext())
        {
            names.Add(fields.Text().Trim());
        }

        return names;
    }

    /// <summary>The 0-based column of the single target of <paramref name="options"/>.</summary>
    public int TargetOnly(CsvOptions options) =>
        options.TargetColumns is { } targets ? Resolve(targets[0], nameof(CsvOptions.TargetColumns)) : LegacyTarget(options);

    /// <summary>Marks the target columns.</summary>
    /// <returns>The number of targets.</returns>
    public int AssignTargets(int[] roles, CsvOptions options)
    {
        if (options.TargetColumns is not { } targets)
        {
            roles[LegacyTarget(options)] = -2;
            return 1;
        }

        for (int t = 0; t < targets.Count; t++)
        {
            int c = Resolve(targets[t], nameof(CsvOptions.TargetColumns));
            if (roles[c] != Unassigned)
            {
                throw Twice(c, nameof(CsvOptions.TargetColumns));
            }

            roles[c] = -2 - t;
        }

        return targets.Count;
    }

    /// <summary>Marks the columns to skip.</summary>
    public void AssignSkipped(int[] roles, IReadOnlyList<CsvColumn>? skipped)
    {
        foreach (CsvColumn column in skipped ?? [])
        {
            int c = Resolve(column, nameof(CsvOptions.IgnoreColumns));
            if (roles[c] == CsvLayout.Skipped)
            {
                throw Twice(c, nameof(CsvOptions.IgnoreColumns));
            }

            if (roles[c] != Unassigned)
            {
                throw Conflict(c, "a target", "ignored (IgnoreColumns)");
            }

            roles[c] = CsvLayout.Skipped;
        }
    }

    /// <summary>Marks the feature columns: those listed, in list order, or else every column left, in file order.</summary>
    /// <returns>The number of features, at least 1.</returns>
    public int AssignFeatures(int[] roles, IReadOnlyList<CsvColumn>? features)
    {
        int count = 0;
        if (features is null)
        {
            for (int c = 0; c < roles.Length; c++)
            {
                if (roles[c] == Unassigned)
                {
                    roles[c] = count++;
                }
            }
        }
        else
        {
            for (int s = 0; s < features.Count; s++)
            {
                int c = Resolve(features[s], nameof(CsvOptions.FeatureColumns));
                if (roles[c] != Unassigned)
                {
                    throw roles[c] switch
                    {
                        CsvLayout.Skipped => Conflict(c, "a feature (FeatureColumns)", "ignored (IgnoreColumns)"),
                        >= 0 => Twice(c, nameof(CsvOptions.FeatureColumns)),
                        _ => Conflict(c, "a feature (FeatureColumns)", "a target"),
                    };
                }

                roles[c] = s;
            }

            count = features.Count;
            for (int c = 0; c < roles.Length; c++)
            {
                roles[c] = roles[c] == Unassigned ? CsvLayout.Skipped : roles[c];
            }
        }

        if (count == 0)
        {
            throw new DataFormatException($"Line {line}: expected at least one feature column, but every one of the {width} columns is a target or ignored.", line, null);
        }

        return count;
    }

    private int Resolve(CsvColumn column, string list)
    {
        if (column.Name is not { } name)
        {
            int index = column.Index < 0 ? width + column.Index : column.Index;
            return index >= 0 && index < width
                ? index
                : throw new DataFormatException($"Line {line}: expected the column index {column.Index} ({list}) within {width} columns.", line, null);
        }

        if (header is null)
        {
            throw new DataFormatException($"The column '{name}' ({list}) is named, but the file is read without a header; give its index instead.", line, null);
        }

        return Find(name) is var found and >= 0
            ? found
            : throw new DataFormatException($"Line {line}: expected a column named '{name}' ({list}), but the header has {Listed()}.", line, null);
    }

    /// <summary>The 0-based column whose trimmed header cell is <paramref name="name"/> (the first such), or −1.</summary>
    private int Find(string name)
    {
        var fields = new CsvFields(header, separator, line);
        while (fields.MoveNext())
        {
            if (fields.Escaped ? fields.Text().AsSpan().Trim().SequenceEqual(name) : fields.Current.Trim().SequenceEqual(name))
            {
                return fields.Column - 1;
            }
        }

        return -1;
    }

    private string Listed()
    {
        List<string> names = Names(header!, separator);
        return string.Join(", ", names.Take(NamesListed).Select(h => $"'{h}'")) + (names.Count > NamesListed ? $" and {names.Count - NamesListed} more" : string.Empty);
    }

    /// <summary>The single target of <see cref="CsvOptions.TargetColumn"/> or <see cref="CsvOptions.TargetColumnIndex"/>, with their own messages.</summary>
    private int LegacyTarget(CsvOptions options)
    {
        if (options.TargetColumn is { } name)
        {
            if (header is null)
            {
                throw new DataFormatException($"The target column is named '{name}', but the file is read without a header; use TargetColumnIndex.", line, null);
            }

            return Find(name) is var found and >= 0
                ? found
                : throw new DataFormatException($"Line {line}: expected a column named '{name}', but the header has {Listed()}.", line, null);
        }

        int target = options.TargetColumnIndex < 0 ? width + options.TargetColumnIndex : options.TargetColumnIndex;
        return target >= 0 && target < width
            ? target
            : throw new DataFormatException($"Line {line}: expected the target column index {options.TargetColumnIndex} within {width} columns.", line, null);
    }

    private DataFormatException Twice(int column, string list) =>
        new($"Line {line}: column {column + 1}{Describe(header, separator, column)} is given twice in {list}.", line, column + 1);

    private DataFormatException Conflict(int column, string one, string other) =>
        new($"Line {line}: column {column + 1}{Describe(header, separator, column)} is both {one} and {other}.", line, column + 1);
}
