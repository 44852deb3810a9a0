using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace NeuralNet.MLNet.Internal;

// ML.NET's OnnxTransformer gives only vector columns, while its evaluators and PredictionEngine want Score, Probability
// and PredictedLabel as scalars (multiclass: Score a vector, PredictedLabel a scalar key). No public ML.NET transform
// turns a one-slot vector into a scalar, so these custom mappings do. They hold no state: a saved model stores only
// their contract names and this assembly's name, from which ml.Model.Load finds the factories again, so a process that
// loads a model needs NeuralNet.MLNet's assembly beside it (a package reference) and nothing else.

/// <summary>The first slot of each working vector of a binary classifier, as ML.NET's binary columns.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class BinarySlots : CustomMappingFactory<BinarySlots.Vectors, BinarySlots.Scalars>
{
    public const string Contract = "NeuralNet.BinarySlots";

    public static void Map(Vectors input, Scalars output)
    {
        output.Score = input.Score[0];
        output.Probability = input.Probability[0];
        output.PredictedLabel = input.PredictedLabel[0];
    }

    public override Action<Vectors, Scalars> GetMapping() => Map;

    public sealed class Vectors
    {
        [ColumnName(Columns.ScoreVector), VectorType(1)]
        public float[] Score { get; set; } = [];

        [ColumnName(Columns.ProbabilityVector), VectorType(1)]
        public float[] Probability { get; set; } = [];

        [ColumnName(Columns.PredictedLabelVector), VectorType(1)]
        public bool[] PredictedLabel { get; set; } = [];
    }

    public sealed class Scalars
    {
        [ColumnName(Columns.Score)]
        public float Score { get; set; }

        [ColumnName(Columns.Probability)]
        public float Probability { get; set; }

        [ColumnName(Columns.PredictedLabel)]
        public bool PredictedLabel { get; set; }
    }
}

/// <summary>The first slot of a regressor's working score vector, as ML.NET's Score.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class RegressionSlot : CustomMappingFactory<RegressionSlot.Vectors, RegressionSlot.Scalars>
{
    public const string Contract = "NeuralNet.RegressionSlot";

    public static void Map(Vectors input, Scalars output) => output.Score = input.Score[0];

    public override Action<Vectors, Scalars> GetMapping() => Map;

    public sealed class Vectors
    {
        [ColumnName(Columns.ScoreVector), VectorType(1)]
        public float[] Score { get; set; } = [];
    }

    public sealed class Scalars
    {
        [ColumnName(Columns.Score)]
        public float Score { get; set; }
    }
}

/// <summary>The first slot of a multiclass classifier's working class-index vector, mapped to the key afterwards.</summary>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class ClassIndexSlot : CustomMappingFactory<ClassIndexSlot.Vectors, ClassIndexSlot.Scalars>
{
    public const string Contract = "NeuralNet.ClassIndexSlot";

    public static void Map(Vectors input, Scalars output) => output.ClassIndex = input.ClassIndex[0];

    public override Action<Vectors, Scalars> GetMapping() => Map;

    public sealed class Vectors
    {
        [ColumnName(Columns.ClassIndexVector), VectorType(1)]
        public long[] ClassIndex { get; set; } = [];
    }

    public sealed class Scalars
    {
        [ColumnName(Columns.ClassIndex)]
        public long ClassIndex { get; set; }
    }
}
