using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace NeuralNet.MLNet.Internal;

/// <summary>The ML.NET transforms that score with a trained network's ONNX model, fitted to the training schema.</summary>
internal static class ScoringChain
{
    /// <summary>
    /// Builds and fits the chain: copy the features, run the ONNX model, take the one-slot outputs as scalars, and
    /// (multiclass) map the top class to the label's key.
    /// </summary>
    public static TransformerChain<ITransformer> Fit(MLContext ml, IDataView trainingData, PredictionKind kind, string featureColumn, DataViewSchema.Column label, int classes, byte[] onnx)
    {
        string[] outputs = kind switch
        {
            PredictionKind.Multiclass => [Columns.Score, Columns.ClassIndexVector],
            PredictionKind.Binary => [Columns.ScoreVector, Columns.ProbabilityVector, Columns.PredictedLabelVector],
            _ => [Columns.ScoreVector],
        };

        // OnnxTransformer drops the columns it reads, so it reads a copy and the features column stays, as with ML.NET's trainers.
        IEstimator<ITransformer> estimator = ml.Transforms.CopyColumns(Columns.NetworkFeatures, featureColumn)
            .Append(ml.Transforms.ApplyOnnxModel(outputs, [Columns.NetworkFeatures], new MemoryStream(onnx)));
        estimator = kind switch
        {
            PredictionKind.Multiclass => estimator
                .Append(ml.Transforms.CustomMapping<ClassIndexSlot.Vectors, ClassIndexSlot.Scalars>(ClassIndexSlot.Map, ClassIndexSlot.Contract))
                .Append(PredictedLabel(ml, label, classes))
                .Append(ml.Transforms.DropColumns(Columns.ClassIndexVector, Columns.ClassIndex, Columns.ClassValue)),
            PredictionKind.Binary => estimator
                .Append(ml.Transforms.CustomMapping<BinarySlots.Vectors, BinarySlots.Scalars>(BinarySlots.Map, BinarySlots.Contract))
                .Append(ml.Transforms.DropColumns(Columns.ScoreVector, Columns.ProbabilityVector, Columns.PredictedLabelVector)),
            _ => estimator
                .Append(ml.Transforms.CustomMapping<RegressionSlot.Vectors, RegressionSlot.Scalars>(RegressionSlot.Map, RegressionSlot.Contract))
                .Append(ml.Transforms.DropColumns(Columns.ScoreVector)),
        };

        // Fitting reads no rows: each of these transforms is fixed by its arguments and checked against the schema.
        var fitted = (IEnumerable<ITransformer>)estimator.Fit(trainingData);
        return new TransformerChain<ITransformer>([.. fitted]);
    }

    /// <summary>The label's values as text, in key order, or null when the key has none for every class.</summary>
    public static IReadOnlyList<string>? ClassNames(DataViewSchema.Column label, int classes)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: PrimitiveDataViewType item } })
        {
            return null;
        }

        string[]? names = null;
        if (item.RawType == typeof(ReadOnlyMemory<char>))
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.GetKeyValues(ref values);
            names = [.. values.DenseValues().Select(value => value.ToString())];
        }
        else if (item.RawType == typeof(float))
        {
            VBuffer<float> values = default;
            label.GetKeyValues(ref values);
            names = [.. values.DenseValues().Select(value => value.ToString(CultureInfo.InvariantCulture))];
        }

        return names is not null && names.Length >= classes ? names[..classes] : null;
    }

    /// <summary>
    /// Maps the top class index k to the label's k-th value, then that value to a key over the label's values in the
    /// label's order, so PredictedLabel is the same key type as the label (key k + 1 for class k) and
    /// <c>MapKeyToValue</c> turns it back into the label's own values.
    /// </summary>
    private static EstimatorChain<ValueToKeyMappingTransformer> PredictedLabel(MLContext ml, DataViewSchema.Column label, int classes)
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
            _ => Map(ml, Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray()),
        };
    }

    private static EstimatorChain<ValueToKeyMappingTransformer> Map<TValue, TOutput>(MLContext ml, DataViewSchema.Column label, int classes, Func<TValue, TOutput> convert)
    {
        VBuffer<TValue> values = default;
        label.GetKeyValues(ref values);
        TValue[] dense = values.DenseValues().ToArray();
        if (dense.Length < classes)
        {
            throw new InvalidOperationException($"The label column '{label.Name}' is a key of {classes} classes but names only {dense.Length} of them.");
        }

        return Map(ml, dense.Take(classes).Select(convert).ToArray());
    }

    private static EstimatorChain<ValueToKeyMappingTransformer> Map<TOutput>(MLContext ml, TOutput[] values)
    {
        // The key's values are given in the label's order, so ByOccurrence numbers them as the label's key does.
        IDataView keyData = ml.Data.LoadFromEnumerable(values.Select(value => new KeyValue<TOutput> { Value = value }));
        return ml.Transforms.Conversion.MapValue(Columns.ClassValue, values.Select((value, k) => new KeyValuePair<long, TOutput>(k, value)), Columns.ClassIndex)
            .Append(ml.Transforms.Conversion.MapValueToKey(Columns.PredictedLabel, Columns.ClassValue, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keyData));
    }

    /// <summary>One value of a key, as a row of the key data <c>MapValueToKey</c> reads.</summary>
    private sealed class KeyValue<T>
    {
        public T Value { get; set; } = default!;
    }
}
