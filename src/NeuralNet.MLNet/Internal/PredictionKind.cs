namespace NeuralNet.MLNet.Internal;

/// <summary>The ML.NET task a trainer serves, which decides the label it reads and the columns it writes.</summary>
internal enum PredictionKind
{
    /// <summary>Key-typed label; Score is the vector of class probabilities, PredictedLabel a key.</summary>
    Multiclass,

    /// <summary>Boolean label; Score is the logit, Probability its sigmoid, PredictedLabel a Boolean.</summary>
    Binary,

    /// <summary>Single label; Score is the prediction in the label's units.</summary>
    Regression,
}
