using NeuralNet.Training;

namespace NeuralNet.MLNet;

/// <summary>
/// The settings of a NeuralNet trainer in an ML.NET pipeline: which columns it reads, the network's shape, and how it
/// trains. The same options serve multiclass classification, binary classification and regression.
/// </summary>
/// <remarks>
/// Component names are those of NeuralNet's <see cref="Components.ComponentRegistry"/>, so an activation or update rule
/// registered there can be named here. Everything is checked when <c>Fit</c> starts; a bad value throws an
/// <see cref="ArgumentException"/> naming the option, the value and what was expected.
/// </remarks>
public sealed record NeuralNetTrainerOptions
{
    /// <summary>The label column: a key for multiclass classification, Boolean for binary, Single for regression. Default <c>Label</c>.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The features column, a known-size vector of Single. Default <c>Features</c>.</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>The units of each hidden layer, first to last; empty for none (a linear or logistic model). Default one layer of 64.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [64];

    /// <summary>The hidden layers' activation, by its registry name (<c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>gelu</c>, …). Default <c>relu</c>.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>The passes over the training data, positive. Default 100.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>
    /// The samples per update, positive: 1 is stochastic gradient descent, the row count or more is batch gradient
    /// descent (one update per epoch over all rows), anything between mini-batch descent. Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The update rule, by its registry name (<c>plain</c>, <c>momentum</c>, <c>nesterov</c>, <c>rmsprop</c>, <c>adam</c>, <c>adamw</c>), with its default hyper-parameters. Default <c>adam</c>.</summary>
    public string UpdateRule { get; init; } = "adam";

    /// <summary>The base learning rate, positive and finite. Default 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>How the learning rate changes from epoch to epoch (<see cref="LearningRateSchedule.Cosine"/>, <see cref="LearningRateSchedule.Step"/>, …). Default constant.</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>L2 weight decay λ ≥ 0 on the weight matrices. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// The fraction of the training rows held out (seeded, stratified for classification) to validate on after every
    /// epoch, in [0, 1). Default 0: no validation.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Stops training after this many epochs without improvement of the validation loss (of the training loss without
    /// <see cref="ValidationFraction"/>), and keeps the best epoch's weights; null (the default) trains every epoch.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seeds the initial weights, the validation split and the shuffling: the same seed and data give the same model. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the network computes in double rather than Single; the columns ML.NET sees stay Single. Default false.</summary>
    public bool DoublePrecision { get; init; }

    /// <summary>Receives each epoch's record as training goes (every record also goes to <c>MLContext.Log</c>). Default null.</summary>
    public IProgress<EpochRecord>? Progress { get; init; }
}
