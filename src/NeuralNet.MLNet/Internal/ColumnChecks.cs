using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuralNet.MLNet.Internal;

/// <summary>
/// Checks the columns a trainer reads, on a schema (at <c>Fit</c>) or a schema shape (when a pipeline is checked before
/// it runs), with messages that name the column, what the trainer expects and what it found.
/// </summary>
internal static class ColumnChecks
{
    private const string FeatureExpectation = "a known-size vector of Single";

    /// <summary>Checks the features and label columns of <paramref name="schema"/>; returns the features column.</summary>
    public static DataViewSchema.Column Check(DataViewSchema schema, NeuralNetTrainerOptions options, PredictionKind kind, string paramName)
    {
        DataViewSchema.Column features = Find(schema, options.FeatureColumnName, "features", FeatureExpectation, paramName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType number, IsKnownSize: true } || number != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The NeuralNet trainer expects the features column '{features.Name}' to be {FeatureExpectation}, but it is {features.Type}. Concatenate Single columns into it (ml.Transforms.Concatenate) and convert others first (ml.Transforms.Conversion.ConvertType).", paramName);
        }

        DataViewSchema.Column label = Find(schema, options.LabelColumnName, "label", LabelExpectation(kind), paramName);
        bool fits = kind switch
        {
            PredictionKind.Multiclass => label.Type is KeyDataViewType { Count: > 0 and <= int.MaxValue },
            PredictionKind.Binary => label.Type == BooleanDataViewType.Instance,
            _ => label.Type == NumberDataViewType.Single,
        };
        if (!fits)
        {
            throw new ArgumentException($"The NeuralNet {Task(kind)} trainer expects the label column '{label.Name}' to be {LabelExpectation(kind)}, but it is {label.Type}.{LabelHint(kind)}", paramName);
        }

        return features;
    }

    /// <summary>The same checks on a schema shape, where vector sizes and key counts are not known yet.</summary>
    public static void Check(SchemaShape shape, NeuralNetTrainerOptions options, PredictionKind kind, string paramName)
    {
        SchemaShape.Column features = Find(shape, options.FeatureColumnName, "features", FeatureExpectation, paramName);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The NeuralNet trainer expects the features column '{features.Name}' to be {FeatureExpectation}, but it is {Describe(features)}. Concatenate Single columns into it (ml.Transforms.Concatenate) and convert others first (ml.Transforms.Conversion.ConvertType).", paramName);
        }

        SchemaShape.Column label = Find(shape, options.LabelColumnName, "label", LabelExpectation(kind), paramName);
        bool scalar = label.Kind == SchemaShape.Column.VectorKind.Scalar;
        bool fits = kind switch
        {
            PredictionKind.Multiclass => scalar && label.IsKey,
            PredictionKind.Binary => scalar && !label.IsKey && label.ItemType == BooleanDataViewType.Instance,
            _ => scalar && !label.IsKey && label.ItemType == NumberDataViewType.Single,
        };
        if (!fits)
        {
            throw new ArgumentException($"The NeuralNet {Task(kind)} trainer expects the label column '{label.Name}' to be {LabelExpectation(kind)}, but it is {Describe(label)}.{LabelHint(kind)}", paramName);
        }
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string expectation, string paramName)
        => schema.GetColumnOrNull(name) ?? throw Missing(name, role, expectation, schema.Where(c => !c.IsHidden).Select(c => c.Name), paramName);

    private static SchemaShape.Column Find(SchemaShape shape, string name, string role, string expectation, string paramName)
    {
        foreach (SchemaShape.Column column in shape)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        throw Missing(name, role, expectation, shape.Select(c => c.Name), paramName);
    }

    private static ArgumentException Missing(string name, string role, string expectation, IEnumerable<string> present, string paramName)
        => new($"The NeuralNet trainer expects a {role} column '{name}' ({expectation}), but the data has no column '{name}'; it has: {string.Join(", ", present.Distinct())}.", paramName);

    private static string LabelExpectation(PredictionKind kind) => kind switch
    {
        PredictionKind.Multiclass => "a key",
        PredictionKind.Binary => "Boolean",
        _ => "Single",
    };

    private static string LabelHint(PredictionKind kind) => kind switch
    {
        PredictionKind.Multiclass => " Map the class column to a key first (ml.Transforms.Conversion.MapValueToKey).",
        PredictionKind.Binary => " Load or convert it as Boolean (ml.Transforms.Conversion.ConvertType with DataKind.Boolean, or a bool field).",
        _ => " Convert it first (ml.Transforms.Conversion.ConvertType with DataKind.Single).",
    };

    private static string Task(PredictionKind kind) => kind switch
    {
        PredictionKind.Multiclass => "multiclass classification",
        PredictionKind.Binary => "binary classification",
        _ => "regression",
    };

    private static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => item,
            SchemaShape.Column.VectorKind.Vector => $"a vector of {item}",
            _ => $"a variable-size vector of {item}",
        };
    }
}
