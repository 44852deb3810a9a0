using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace NeuralNet.MLNet.Internal;

/// <summary>The ML.NET transforms that score with a trained network's ONNX model, fitted to the training schema.</summary>
internal static class ScoringChain
{
    /// <summary>Builds and fits the chain: copy the features, run the ONNX model, and (multiclass) map the top class to the label's key.</summary>
    public static TransformerChain<ITransformer> Fit(MLContext ml, IDataView trainingData, PredictionKind kind, string featureColumn, DataViewSchema.Column label, int classes, byte[] onnx)
    {
        string[] outputs = kind switch
        {
            PredictionKind.Multiclass => [Columns.Score, Columns.ClassIndex],
            PredictionKind.Binary => [Columns.Score, Columns.Probability, Columns.PredictedLabel],
            _ => [Columns.Score],
        };

        // OnnxTransformer drops the columns it reads, so it reads a copy and the features column stays, as with ML.NET's trainers.
        IEstimator<ITransformer> estimator = ml.Transforms.CopyColumns(Columns.NetworkFeatures, featureColumn)
            .Append(ml.Transforms.ApplyOnnxModel(outputs, [Columns.NetworkFeatures], new MemoryStream(onnx)));
        if (kind == PredictionKind.Multiclass)
        {
            estimator = estimator
                .Append(PredictedLabel(ml, label, classes))
                .Append(ml.Transforms.DropColumns(Columns.ClassIndex));
        }

        // Fitting reads no rows: each of these transforms is fixed by its arguments and checked against the schema.
        var fitted = (IEnumerable<ITransformer>)estimator.Fit(trainingData);
        return new TransformerChain<ITransformer>([.. fitted]);
    }

    /// <summary>
    /// Maps the top class index k to the key of the label's k-th value, carrying the label's values, so PredictedLabel
    /// is the same key type as the label and <c>MapKeyToValue</c> turns it back into the label's own values.
    /// </summary>
    private static IEstimator<ITransformer> PredictedLabel(MLContext ml, DataViewSchema.Column label, int classes)
    {
        Type? valueType = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type is VectorDataViewType { ItemType: var item }
            ? item.RawType
            : null;
        return valueType switch
        {
            _ when valueType == typeof(ReadOnlyMemory<char>) => Map<ReadOnlyMemory<char>, string>(ml, label, classes, value => value.ToString()),
            _ when valueType == typeof(float) => Map<float, float>(ml, label, classes, value => value),
            _ when valueType == typeof(double) => Map<double, double>(ml, label, classes, value => value),
            _ when valueType == typeof(int) => Map<int, int>(ml, label, classes, value => value),
            _ when valueType == typeof(uint) => Map<uint, uint>(ml, label, classes, value => value),
            _ when valueType == typeof(long) => Map<long, long>(ml, label, classes, value => value),
            _ when valueType == typeof(bool) => Map<bool, bool>(ml, label, classes, value => value),

            // A key without values (or of values of another type): the classes are named by their index.
            _ => ml.Transforms.Conversion.MapValue(Columns.PredictedLabel, Indices(classes).Select(k => new KeyValuePair<long, string>(k, k.ToString(CultureInfo.InvariantCulture))), Columns.ClassIndex, treatValuesAsKeyType: true),
        };
    }

    private static ValueMappingEstimator<long, TOutput> Map<TValue, TOutput>(MLContext ml, DataViewSchema.Column label, int classes, Func<TValue, TOutput> convert)
    {
        VBuffer<TValue> values = default;
        label.GetKeyValues(ref values);
        TValue[] dense = values.DenseValues().ToArray();
        if (dense.Length < classes)
        {
            throw new InvalidOperationException($"The label column '{label.Name}' is a key of {classes} classes but names only {dense.Length} of them.");
        }

        return ml.Transforms.Conversion.MapValue(Columns.PredictedLabel, Indices(classes).Select(k => new KeyValuePair<long, TOutput>(k, convert(dense[k]))), Columns.ClassIndex, treatValuesAsKeyType: true);
    }

    private static IEnumerable<long> Indices(int classes) => Enumerable.Range(0, classes).Select(k => (long)k);
}
