using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using NeuralNet.MLNet.Internal;
using NeuralNet.Training;

namespace NeuralNet.MLNet;

/// <summary>
/// An ML.NET trainer that fits a NeuralNet feed-forward network: made by <c>NeuralNet(…)</c> on
/// <c>ml.MulticlassClassification.Trainers</c>, <c>ml.BinaryClassification.Trainers</c> or <c>ml.Regression.Trainers</c>.
/// </summary>
/// <remarks>
/// <para>
/// The network has the hidden layers of <see cref="NeuralNetTrainerOptions.HiddenLayers"/> and an output layer for the
/// task: one unit per class with softmax cross-entropy (multiclass), one unit with sigmoid cross-entropy (binary), one
/// unit with mean squared error on standardised labels (regression).
/// </para>
/// <para>
/// Fitting reads every row into memory, trains, logs one line per epoch to <c>MLContext.Log</c> (and reports to
/// <see cref="NeuralNetTrainerOptions.Progress"/>), and returns a <see cref="NeuralNetPredictionTransformer"/> that writes
/// the columns ML.NET's trainers write: multiclass, Score (the vector of class probabilities) and PredictedLabel (a key of
/// the label's type); binary, Score (the logit), Probability and PredictedLabel (Boolean); regression, Score.
/// </para>
/// </remarks>
public sealed class NeuralNetTrainer : IEstimator<NeuralNetPredictionTransformer>
{
    private readonly MLContext _context;
    private readonly IHostEnvironment _log;
    private readonly PredictionKind _kind;

    internal NeuralNetTrainer(MLContext context, IHostEnvironment log, PredictionKind kind, NeuralNetTrainerOptions options)
    {
        _context = context;
        _log = log;
        _kind = kind;
        Options = options;
    }

    /// <summary>The options it trains with.</summary>
    public NeuralNetTrainerOptions Options { get; }

    /// <summary>Trains a network on <paramref name="input"/>.</summary>
    /// <param name="input">The training rows, with the features and label columns of <see cref="Options"/>.</param>
    /// <returns>The trained model, ready to score.</returns>
    /// <exception cref="ArgumentException">
    /// An option is out of range or names no registered component; the features column is missing or is not a known-size
    /// vector of Single; the label column is missing or is not a key (multiclass), Boolean (binary) or Single (regression);
    /// or a row holds a NaN or infinite feature, a missing key or a non-finite regression label (the message names the
    /// column and the row).
    /// </exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite: lower the learning rate.</exception>
    public NeuralNetPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        NetworkTraining.CheckOptions(Options);
        DataViewSchema.Column features = ColumnChecks.Check(input.Schema, Options, _kind, nameof(input));
        DataViewSchema.Column label = input.Schema[Options.LabelColumnName];
        int classes = label.Type is KeyDataViewType key ? (int)key.Count : 2;

        TrainingRows rows = TrainingRows.Read(input, features, label, _kind, nameof(input));
        IHost host = _log.Register("NeuralNet");
        using IChannel channel = host.Start("Training");
        var featureType = (VectorDataViewType)features.Type;
        int inputs = featureType.Size;
        int outputs = _kind == PredictionKind.Multiclass ? classes : 1;
        IReadOnlyList<string>? classNames = _kind == PredictionKind.Multiclass ? ScoringChain.ClassNames(label, classes) : null;
        NeuralNetModelParameters model;
        byte[] onnx;
        if (Options.DoublePrecision)
        {
            (Network<double> network, TrainingHistory history, byte[] exported) = NetworkTraining.Train<double>(rows, _kind, classes, Options, channel);
            onnx = ScoringHead.Build(exported, _kind, Columns.NetworkFeatures, inputs, outputs, doublePrecision: true, classNames);
            model = new NeuralNetModelParameters(null, network, history, onnx);
        }
        else
        {
            (Network<float> network, TrainingHistory history, byte[] exported) = NetworkTraining.Train<float>(rows, _kind, classes, Options, channel);
            onnx = ScoringHead.Build(exported, _kind, Columns.NetworkFeatures, inputs, outputs, doublePrecision: false, classNames);
            model = new NeuralNetModelParameters(network, null, history, onnx);
        }

        TransformerChain<ITransformer> scoring = ScoringChain.Fit(_context, input, _kind, features.Name, label, classes, onnx);
        return new NeuralNetPredictionTransformer(scoring, model, features.Name, featureType);
    }

    /// <summary>The schema shape a fitted model gives for <paramref name="inputSchema"/>, checked before any row is read.</summary>
    /// <param name="inputSchema">The input's schema shape.</param>
    /// <returns>The input's columns and the scoring columns.</returns>
    /// <exception cref="ArgumentException">The features or label column is missing or of the wrong type (the message names it and what was expected).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Check(inputSchema, Options, _kind, nameof(inputSchema));

        // ML.NET makes schema shape columns only from its own transforms, so the scoring columns' shapes are those of
        // transforms that give the same kinds: a vector of Single like the features, a key like the label, Single scalars.
        var conversions = _context.Transforms.Conversion;
        IEstimator<ITransformer> shape = _kind switch
        {
            PredictionKind.Multiclass => conversions.ConvertType(Columns.Score, Options.FeatureColumnName, DataKind.Single)
                .Append(_context.Transforms.CopyColumns(Columns.PredictedLabel, Options.LabelColumnName)),
            PredictionKind.Binary => conversions.ConvertType(Columns.Score, Options.LabelColumnName, DataKind.Single)
                .Append(conversions.ConvertType(Columns.Probability, Options.LabelColumnName, DataKind.Single))
                .Append(_context.Transforms.CopyColumns(Columns.PredictedLabel, Options.LabelColumnName)),
            _ => _context.Transforms.CopyColumns(Columns.Score, Options.LabelColumnName),
        };
        return shape.GetOutputSchema(inputSchema);
    }
}
