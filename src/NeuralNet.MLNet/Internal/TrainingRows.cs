using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuralNet.MLNet.Internal;

/// <summary>The rows of an <see cref="IDataView"/> read for training: features one sample per row, and the labels.</summary>
internal sealed class TrainingRows
{
    private TrainingRows(List<float[]> features, List<int> classes, List<float> targets)
    {
        Features = features;
        Classes = classes;
        Targets = targets;
    }

    /// <summary>One array of features per row.</summary>
    public List<float[]> Features { get; }

    /// <summary>Class indices from 0 (multiclass: key − 1; binary: 0 for false, 1 for true); empty for regression.</summary>
    public List<int> Classes { get; }

    /// <summary>The regression targets; empty for classification.</summary>
    public List<float> Targets { get; }

    /// <summary>Reads every row, refusing a non-finite feature, a missing key or a non-finite regression target by row number.</summary>
    public static TrainingRows Read(IDataView data, DataViewSchema.Column features, DataViewSchema.Column label, PredictionKind kind, string paramName)
    {
        int size = ((VectorDataViewType)features.Type).Size;
        var rows = new TrainingRows([], [], []);
        using DataViewRowCursor cursor = data.GetRowCursor([features, label]);
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        ValueGetter<uint>? getKey = kind == PredictionKind.Multiclass ? cursor.GetGetter<uint>(label) : null;
        ValueGetter<bool>? getBool = kind == PredictionKind.Binary ? cursor.GetGetter<bool>(label) : null;
        ValueGetter<float>? getTarget = kind == PredictionKind.Regression ? cursor.GetGetter<float>(label) : null;
        VBuffer<float> buffer = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            getFeatures(ref buffer);
            var values = new float[size];
            buffer.CopyTo(values);
            for (int j = 0; j < size; j++)
            {
                if (!float.IsFinite(values[j]))
                {
                    throw new ArgumentException($"The NeuralNet trainer expects finite features, but the features column '{features.Name}' holds {values[j]} at row {row} (slot {j}). Replace missing values first (ml.Transforms.ReplaceMissingValues) or filter the rows out.", paramName);
                }
            }

            rows.Features.Add(values);
            switch (kind)
            {
                case PredictionKind.Multiclass:
                    uint key = 0;
                    getKey!(ref key);
                    if (key == 0)
                    {
                        throw new ArgumentException($"The NeuralNet trainer expects a class in every row, but the label column '{label.Name}' has a missing key at row {row} (a value MapValueToKey did not know).", paramName);
                    }

                    rows.Classes.Add((int)(key - 1));
                    break;
                case PredictionKind.Binary:
                    bool positive = false;
                    getBool!(ref positive);
                    rows.Classes.Add(positive ? 1 : 0);
                    break;
                default:
                    float target = 0;
                    getTarget!(ref target);
                    if (!float.IsFinite(target))
                    {
                        throw new ArgumentException($"The NeuralNet regression trainer expects finite labels, but the label column '{label.Name}' holds {target} at row {row}.", paramName);
                    }

                    rows.Targets.Add(target);
                    break;
            }

            row++;
        }

        if (row == 0)
        {
            throw new ArgumentException("The NeuralNet trainer expects at least one training row, but the data has none.", paramName);
        }

        return rows;
    }
}
