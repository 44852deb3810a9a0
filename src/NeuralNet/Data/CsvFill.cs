using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// The empty-cell policy of one read (<see cref="CsvOptions.EmptyCells"/>): what an empty feature cell becomes, and,
/// for the mean, the sums and counts of each feature column's non-empty cells.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Under the mean an empty cell is read as NaN, which no cell can hold (only finite numbers are read), and replaced
/// once the means are known. Features are indexed here in file order; <see cref="Values"/> are in feature order.
/// </remarks>
internal sealed class CsvFill<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CsvLayout _layout;
    private readonly T[]? _fileOrder;
    private readonly double[]? _sums;
    private readonly long[]? _counts;
    private readonly int[]? _firstEmpty;
    private readonly string[]? _missing;

    private CsvFill(CsvEmptyCells policy, CsvLayout layout, T[]? fileOrder, IReadOnlyList<string>? missing)
    {
        Policy = policy;
        _missing = missing is { Count: > 0 } ? [.. missing] : null;
        _layout = layout;
        _fileOrder = fileOrder;
        if (policy == CsvEmptyCells.FillWithMean)
        {
            _sums = new double[layout.FeatureCount];
            _counts = new long[layout.FeatureCount];
            _firstEmpty = new int[layout.FeatureCount];
        }
    }

    /// <summary>The policy.</summary>
    public CsvEmptyCells Policy { get; }

    /// <summary>Whether the means are being gathered (each feature value must then be observed).</summary>
    public bool Averages => _sums is not null;

    /// <summary>The fill of <paramref name="options"/> for <paramref name="layout"/>.</summary>
    /// <exception cref="DataFormatException">Fill values whose count is not the feature count.</exception>
    public static CsvFill<T> Of(CsvOptions options, CsvLayout layout)
    {
        T[]? values = options.EmptyCells switch
        {
            CsvEmptyCells.FillWithConstant => [.. Enumerable.Repeat(Finite(options.FillValue, "CsvOptions.FillValue", nameof(options)), layout.FeatureCount)],
            CsvEmptyCells.FillWithValues => Given(options.FillValues!, layout, nameof(options)),
            _ => null,
        };
        return new CsvFill<T>(options.EmptyCells, layout, values is null ? null : layout.ToFileOrder(values), options.MissingValues);
    }

    /// <summary>A fill with known values in feature order (the means a first pass found), for cells empty or holding one of <paramref name="missing"/>.</summary>
    public static CsvFill<T> WithValues(T[] values, CsvLayout layout, IReadOnlyList<string>? missing) =>
        new(CsvEmptyCells.FillWithValues, layout, layout.ToFileOrder(values), missing);

    /// <summary>The value of the feature (file order <paramref name="feature"/>) in <paramref name="field"/>: its number, or what fills it when empty.</summary>
    /// <exception cref="DataFormatException">The cell holds no number, or is empty while empty cells are refused.</exception>
    public T Read(CsvFields field, int feature, int line)
    {
        if (_missing is null || !IsMissingMarker(field))
        {
            return ReadNumber(field, feature, line);
        }

        return Empty(field, feature, line);
    }

    /// <summary>Whether the cell holds one of the texts that mean a missing value.</summary>
    private bool IsMissingMarker(CsvFields field)
    {
        if (field.Escaped)
        {
            return false;
        }

        ReadOnlySpan<char> text = field.Current.Trim();
        foreach (string marker in _missing!)
        {
            if (text.SequenceEqual(marker))
            {
                return true;
            }
        }

        return false;
    }

    private T ReadNumber(CsvFields field, int feature, int line)
    {
        if (CsvCells.TryNumber(field, out T value))
        {
            if (_sums is not null)
            {
                _sums[feature] += double.CreateChecked(value);
                _counts![feature]++;
            }

            return value;
        }

        if (!CsvCells.IsEmpty(field))
        {
            throw CsvCells.NotANumber(field, line, _layout);
        }

        return Empty(field, feature, line);
    }

    /// <summary>What an empty (or missing-marked) cell becomes under the policy.</summary>
    private T Empty(CsvFields field, int feature, int line)
    {
        if (_fileOrder is not null)
        {
            return _fileOrder[feature];
        }

        if (_firstEmpty is null)
        {
            throw CsvCells.EmptyFeature(field, line, _layout);
        }

        if (_firstEmpty[feature] == 0)
        {
            _firstEmpty[feature] = line;
        }

        return T.NaN;
    }

    /// <summary>
    /// The values empty cells were or will be filled with, in feature order; null when empty cells are refused. Under
    /// the mean, each column's mean of its non-empty cells.
    /// </summary>
    /// <exception cref="DataFormatException">Under the mean, a column all of whose cells were empty.</exception>
    public T[]? Values()
    {
        if (_fileOrder is not null)
        {
            return _layout.ToFeatureOrder(_fileOrder);
        }

        if (_sums is null)
        {
            return null;
        }

        var means = new T[_sums.Length];
        for (int k = 0; k < means.Length; k++)
        {
            if (_counts![k] == 0)
            {
                int column = _layout.FeatureColumn(k);
                throw new DataFormatException($"Line {_firstEmpty![k]}, column {column + 1}{_layout.Describe(column)}: every cell of the column is empty, so there is no mean to fill it with.", _firstEmpty[k], column + 1);
            }

            means[k] = T.CreateChecked(_sums[k] / _counts[k]);
        }

        return _layout.ToFeatureOrder(means);
    }

    private static T[] Given(IReadOnlyList<double> fills, CsvLayout layout, string paramName)
    {
        if (fills.Count != layout.FeatureCount)
        {
            throw new DataFormatException($"Line {layout.HeaderLine}: expected {layout.FeatureCount} fill values, one per feature column, but CsvOptions.FillValues has {fills.Count}.", layout.HeaderLine, null);
        }

        return [.. fills.Select((fill, i) => Finite(fill, $"CsvOptions.FillValues[{i}]", paramName))];
    }

    /// <summary><paramref name="fill"/> in <typeparamref name="T"/>, which must hold it as a finite number (1e300 is infinite in float).</summary>
    private static T Finite(double fill, string name, string paramName)
    {
        T value = T.CreateChecked(fill);
        return T.IsFinite(value)
            ? value
            : throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} is {fill}, which is not finite in {typeof(T).Name}."), paramName);
    }
}
