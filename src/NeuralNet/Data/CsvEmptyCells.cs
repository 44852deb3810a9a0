namespace NeuralNet.Data;

/// <summary>
/// What a CSV reader does with an empty feature cell (nothing, or only whitespace, between two separators, or
/// <c>""</c>). Target cells are never filled: an empty target is always a <see cref="DataFormatException"/>.
/// </summary>
/// <remarks>
/// The values filled in are returned with the data (<see cref="Dataset{T}.FillValues"/>,
/// <see cref="CsvBatches{T}.FillValues"/>), one per feature column, so that other files and the samples a served model
/// sees can be filled the same way: read a validation or test file with <see cref="CsvOptions.LikeTraining{T}"/>, which
/// fills with the training file's values (<see cref="FillWithValues"/>).
/// </remarks>
public enum CsvEmptyCells
{
    /// <summary>An empty feature cell is a <see cref="DataFormatException"/> naming its line and column (the default).</summary>
    Refuse,

    /// <summary>
    /// Filled with the mean of the column's non-empty cells in the same file, computed in double; a column with no
    /// value at all is a <see cref="DataFormatException"/>.
    /// </summary>
    FillWithMean,

    /// <summary>Filled with <see cref="CsvOptions.FillValue"/>.</summary>
    FillWithConstant,

    /// <summary>Filled with <see cref="CsvOptions.FillValues"/>, one value per feature column in feature order.</summary>
    FillWithValues,
}
