using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuralNet.MLNet;

/// <summary>
/// A trained NeuralNet trainer in an ML.NET pipeline: adds the Score column (and PredictedLabel, and Probability for
/// binary classification) from the features column.
/// </summary>
/// <remarks>
/// <para>
/// It scores with ML.NET's own transforms: the network as an ONNX model run by OnnxTransformer, then (multiclass) a
/// value mapping that makes PredictedLabel a key with the label's values. Saving it with <c>ml.Model.Save</c> saves those
/// transforms, so <c>ml.Model.Load</c> needs no NeuralNet code and gives back an ML.NET <see cref="TransformerChain{TLastTransformer}"/>
/// that predicts the same.
/// </para>
/// <para>Dispose it (or the pipeline holding it) to release the ONNX Runtime session.</para>
/// </remarks>
public sealed class NeuralNetPredictionTransformer : ISingleFeaturePredictionTransformer<NeuralNetModelParameters>, IDisposable
{
    private readonly TransformerChain<ITransformer> _scoring;
    private readonly int _featureCount;

    internal NeuralNetPredictionTransformer(TransformerChain<ITransformer> scoring, NeuralNetModelParameters model, string featureColumnName, VectorDataViewType featureColumnType)
    {
        _scoring = scoring;
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureColumnType;
        _featureCount = featureColumnType.Size;
    }

    /// <summary>The trained network, its history and the ONNX model scored with.</summary>
    public NeuralNetModelParameters Model { get; }

    /// <summary>The features column read, as at training.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The features column's type at training: a vector of Single of the network's input size.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Whether it maps row by row, as <c>PredictionEngine</c> needs: always true.</summary>
    public bool IsRowToRowMapper => ((ITransformer)_scoring).IsRowToRowMapper;

    /// <summary>The schema <see cref="Transform"/> gives for <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The input's schema, with the features column.</param>
    /// <returns>The input's columns and the scoring columns.</returns>
    /// <exception cref="ArgumentException">The features column is missing or is not a vector of as many Single values as at training.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckFeatures(inputSchema, nameof(inputSchema));
        return _scoring.GetOutputSchema(inputSchema);
    }

    /// <summary>Scores <paramref name="input"/> lazily, as every ML.NET transform does.</summary>
    /// <param name="input">The rows to score, with the features column.</param>
    /// <returns>The input's columns and the scoring columns.</returns>
    /// <exception cref="ArgumentException">The features column is missing or is not a vector of as many Single values as at training.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckFeatures(input.Schema, nameof(input));
        return _scoring.Transform(input);
    }

    /// <summary>A row-to-row mapper for <paramref name="inputSchema"/>, as <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">The input's schema, with the features column.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentException">The features column is missing or is not a vector of as many Single values as at training.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckFeatures(inputSchema, nameof(inputSchema));
        return ((ITransformer)_scoring).GetRowToRowMapper(inputSchema);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _scoring.Dispose();

    /// <summary>Saves the ML.NET transforms that score (see the remarks of the class): what <c>ml.Model.Save</c> calls.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_scoring).Save(ctx);

    private void CheckFeatures(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        DataViewSchema.Column column = schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentException($"The trained NeuralNet model expects a features column '{FeatureColumnName}' ({FeatureColumnType}), but the data has no column '{FeatureColumnName}'.", paramName);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType number, Size: var size } || number != NumberDataViewType.Single || size != _featureCount)
        {
            throw new ArgumentException($"The trained NeuralNet model expects the features column '{FeatureColumnName}' to be a vector of {_featureCount} Single values ({FeatureColumnType}), as at training, but it is {column.Type}.", paramName);
        }
    }
}
