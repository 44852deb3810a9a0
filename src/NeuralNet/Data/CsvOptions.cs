using System.Globalization;
using System.Numerics;

namespace NeuralNet.Data;

/// <summary>How to read a CSV file into a dataset: which columns are features, targets or ignored, how class labels are numbered, and what fills an empty cell.</summary>
/// <remarks>
/// Options are checked when a file is read (<see cref="Csv.Read{T}"/>, <see cref="Csv.Load{T}"/>,
/// <see cref="Csv.ReadBatches{T}"/>): options that contradict each other throw <see cref="ArgumentException"/> before
/// any text is read; columns the file does not have throw <see cref="DataFormatException"/> naming the header line.
/// </remarks>
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
    /// True (the default) for a class column (see <see cref="Csv"/> for how labels become classes). False for numeric
    /// regression targets.
    /// </summary>
    public bool Classification { get; init; } = true;

    /// <summary>
    /// The target columns, by name or index, in the order of the target matrix's columns; when set, they replace
    /// <see cref="TargetColumn"/> and <see cref="TargetColumnIndex"/> (which must then keep their defaults). Several
    /// targets need <see cref="Classification"/> = false; a classification reads one class column.
    /// </summary>
    public IReadOnlyList<CsvColumn>? TargetColumns { get; init; }

    /// <summary>
    /// The feature columns, by name or index, in the order of the feature matrix's columns (which may differ from the
    /// file's); every other column is skipped. When null (the default), every column that is neither a target nor in
    /// <see cref="IgnoreColumns"/> is a feature, in file order.
    /// </summary>
    public IReadOnlyList<CsvColumn>? FeatureColumns { get; init; }

    /// <summary>
    /// Columns that are skipped, by name or index: an id column, free text, a date. Their cells are not parsed as
    /// numbers (the line must still be well-formed CSV). A column may not be both ignored and a feature or target.
    /// </summary>
    public IReadOnlyList<CsvColumn>? IgnoreColumns { get; init; }

    /// <summary>What fills an empty feature cell; <see cref="CsvEmptyCells.Refuse"/> (an error naming line and column) by default.</summary>
    public CsvEmptyCells EmptyCells { get; init; }

    /// <summary>
    /// Cell texts that mean "no value", such as <c>NA</c> or <c>?</c>: a feature cell that holds exactly one of them
    /// (after trimming whitespace; compared ordinally, so case counts) is an empty cell, refused or filled as
    /// <see cref="EmptyCells"/> says. A marker that reads as a number (a sentinel such as <c>-999</c>) is a missing
    /// value too, and wins over the number. Null (the default): only blank cells are empty.
    /// </summary>
    public IReadOnlyList<string>? MissingValues { get; init; }

    /// <summary>The value of every empty feature cell under <see cref="CsvEmptyCells.FillWithConstant"/>; finite, 0 by default.</summary>
    public double FillValue { get; init; }

    /// <summary>
    /// One value per feature column, in feature order, for empty cells under <see cref="CsvEmptyCells.FillWithValues"/>
    /// (for instance a training set's <see cref="Dataset{T}.FillValues"/>); all finite.
    /// </summary>
    public IReadOnlyList<double>? FillValues { get; init; }

    /// <summary>
    /// The classes, in class order, when they are known before the file is read: every label must be one of them
    /// (compared as text, except that labels and classes which are all runs of digits compare by value, so "07" is
    /// "7"). Give the training set's <see cref="Dataset{T}.ClassNames"/> when reading a validation or test file,
    /// which may hold only some of the classes (<see cref="LikeTraining{T}"/> does). Null (the default): the classes
    /// are the labels the file holds (see <see cref="Csv"/>).
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>
    /// True to take integer labels as class indices as they are: they must then be exactly 0 to K − 1, each with at
    /// least one row, and labels that leave a class empty are refused naming it. False (the default): integer labels
    /// that are not 0 to K − 1 are renumbered in increasing order and kept as class names.
    /// </summary>
    public bool StrictClassIndices { get; init; }

    /// <summary>
    /// These options, set to read another file of the same table (validation, test, new data) the way
    /// <paramref name="training"/> was read: the same classes in the same order (<see cref="Classes"/>), empty cells
    /// filled with the training file's values (<see cref="CsvEmptyCells.FillWithValues"/>) when it was filled, and,
    /// when the training file had a header, the same feature columns by name (so a file whose columns come in another
    /// order reads the same; <see cref="IgnoreColumns"/> is then not needed and is cleared).
    /// </summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="training">The training set, as read from its file.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is null.</exception>
    public CsvOptions LikeTraining<T>(Dataset<T> training)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(training);
        CsvOptions like = this;
        if (training.IsClassification)
        {
            IReadOnlyList<string> classes = training.ClassNames
                ?? [.. Enumerable.Range(0, training.ClassCount).Select(c => c.ToString(CultureInfo.InvariantCulture))];
            like = like with { Classes = classes, StrictClassIndices = false };
        }

        if (training.FillValues is { } fills)
        {
            like = like with { EmptyCells = CsvEmptyCells.FillWithValues, FillValues = [.. fills.Select(double.CreateChecked)] };
        }

        if (training.FeatureNames is { } names && HasHeader)
        {
            like = like with { FeatureColumns = [.. names.Select(CsvColumn.Named)], IgnoreColumns = null };
        }

        return like;
    }

    /// <summary>Refuses options that contradict each other, before any text is read.</summary>
    /// <exception cref="ArgumentException">Which options, and why.</exception>
    internal void Check()
    {
        const string Param = "options";
        if (TargetColumns is { } targets)
        {
            if (targets.Count == 0)
            {
                throw new ArgumentException("CsvOptions.TargetColumns must name at least one column, but is empty.", Param);
            }

            if (TargetColumn is not null || TargetColumnIndex != -1)
            {
                string other = TargetColumn is null ? string.Create(CultureInfo.InvariantCulture, $"TargetColumnIndex is {TargetColumnIndex}") : $"TargetColumn is '{TargetColumn}'";
                throw new ArgumentException($"CsvOptions.TargetColumns replaces TargetColumn and TargetColumnIndex, but {other} too; set one of them.", Param);
            }

            if (Classification && targets.Count > 1)
            {
                throw new ArgumentException($"A classification reads one class column, but CsvOptions.TargetColumns names {targets.Count} ({string.Join(", ", targets)}); set Classification = false for several numeric targets.", Param);
            }
        }

        CheckFill(Param);
        if (Classes is { } classes)
        {
            CheckClasses(classes, Param);
        }
    }

    private void CheckFill(string param)
    {
        if (!Enum.IsDefined(EmptyCells))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CsvOptions.EmptyCells must be a CsvEmptyCells value, but is {(int)EmptyCells}."), param);
        }

        if (!double.IsFinite(FillValue))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CsvOptions.FillValue must be finite, but is {FillValue}."), param);
        }

        if (EmptyCells == CsvEmptyCells.FillWithValues && FillValues is null)
        {
            throw new ArgumentException("CsvOptions.EmptyCells is FillWithValues, but FillValues is null; give one value per feature column.", param);
        }

        if (MissingValues is { } missing)
        {
            for (int i = 0; i < missing.Count; i++)
            {
                string? marker = missing[i];
                if (string.IsNullOrEmpty(marker) || marker.AsSpan().Trim().Length != marker.Length || marker.Contains(Separator, StringComparison.Ordinal) || marker.Contains('"', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"CsvOptions.MissingValues[{i}] must be a cell's text, not empty, without surrounding whitespace, the separator or quotes, but is {(marker is null ? "null" : $"'{marker}'")}.", param);
                }
            }
        }

        if (FillValues is { } fills)
        {
            if (EmptyCells != CsvEmptyCells.FillWithValues)
            {
                throw new ArgumentException($"CsvOptions.FillValues is set, but EmptyCells is {EmptyCells}; set EmptyCells = CsvEmptyCells.FillWithValues to fill with them.", param);
            }

            for (int i = 0; i < fills.Count; i++)
            {
                if (!double.IsFinite(fills[i]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CsvOptions.FillValues[{i}] must be finite, but is {fills[i]}."), param);
                }
            }
        }
    }

    private void CheckClasses(IReadOnlyList<string> classes, string param)
    {
        if (!Classification)
        {
            throw new ArgumentException("CsvOptions.Classes is set, but Classification is false.", param);
        }

        if (StrictClassIndices)
        {
            throw new ArgumentException("CsvOptions.Classes gives the classes and their order, so StrictClassIndices cannot be set too.", param);
        }

        if (classes.Count < 2)
        {
            throw new ArgumentException($"CsvOptions.Classes must name at least 2 classes, but names {classes.Count}.", param);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool digits = CsvClassMap.AllDigits(classes);
        for (int i = 0; i < classes.Count; i++)
        {
            string? name = classes[i];
            if (string.IsNullOrEmpty(name) || name.AsSpan().Trim().Length != name.Length)
            {
                throw new ArgumentException($"CsvOptions.Classes[{i}] must be a label as a cell holds it, not empty and without surrounding whitespace, but is {(name is null ? "null" : $"'{name}'")}.", param);
            }

            string key = CsvClassMap.Key(name, digits);
            if (!seen.TryAdd(key, i))
            {
                throw new ArgumentException($"CsvOptions.Classes names the class '{name}' twice, at {seen[key]} and {i}.", param);
            }
        }
    }
}
