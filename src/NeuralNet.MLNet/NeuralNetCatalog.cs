using Microsoft.ML;
using NeuralNet.MLNet.Internal;

namespace NeuralNet.MLNet;

/// <summary>The NeuralNet trainers on ML.NET's trainer catalogs.</summary>
/// <example>
/// <code>
/// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
///     .Append(ml.Transforms.Concatenate("Features", "SepalLength", "SepalWidth", "PetalLength", "PetalWidth"))
///     .Append(ml.Transforms.NormalizeMeanVariance("Features"))
///     .Append(ml.MulticlassClassification.Trainers.NeuralNet(new NeuralNetTrainerOptions { HiddenLayers = [64, 32], Epochs = 100, Seed = 1 }))
///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
/// </code>
/// </example>
public static class NeuralNetCatalog
{
    /// <summary>A multiclass classifier: a network with one softmax output per class of the key-typed label.</summary>
    /// <param name="catalog">ML.NET's multiclass trainers, <c>ml.MulticlassClassification.Trainers</c>.</param>
    /// <param name="options">The columns, the network and its training; <c>new NeuralNetTrainerOptions()</c> for the defaults.</param>
    /// <returns>The trainer; the options are checked when it is fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static NeuralNetTrainer NeuralNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetTrainerOptions options)
        => Create(catalog, PredictionKind.Multiclass, options);

    /// <summary>A binary classifier: a network with one sigmoid output for the Boolean label.</summary>
    /// <param name="catalog">ML.NET's binary trainers, <c>ml.BinaryClassification.Trainers</c>.</param>
    /// <param name="options">The columns, the network and its training; <c>new NeuralNetTrainerOptions()</c> for the defaults.</param>
    /// <returns>The trainer; the options are checked when it is fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static NeuralNetTrainer NeuralNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NeuralNetTrainerOptions options)
        => Create(catalog, PredictionKind.Binary, options);

    /// <summary>A regressor: a network with one linear output for the Single label.</summary>
    /// <param name="catalog">ML.NET's regression trainers, <c>ml.Regression.Trainers</c>.</param>
    /// <param name="options">The columns, the network and its training; <c>new NeuralNetTrainerOptions()</c> for the defaults.</param>
    /// <returns>The trainer; the options are checked when it is fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static NeuralNetTrainer NeuralNet(this RegressionCatalog.RegressionTrainers catalog, NeuralNetTrainerOptions options)
        => Create(catalog, PredictionKind.Regression, options);

    private static NeuralNetTrainer Create(object catalog, PredictionKind kind, NeuralNetTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The transforms that score are built with a context of the trainer's own (ML.NET hands out no MLContext from a
        // catalog); they are ordinary ML.NET transforms, saved and loaded by whichever context the user has.
        var context = new MLContext(options.Seed);
        return new NeuralNetTrainer(context, CatalogContext.Environment(catalog, context), kind, options);
    }
}
