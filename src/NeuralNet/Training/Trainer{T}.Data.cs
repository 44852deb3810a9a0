using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Internal;

namespace NeuralNet.Training;

// The part of Trainer<T> that takes the data in: a dataset held in memory, shaped to the network, or streamed batches, checked as they come.
internal sealed partial class Trainer<T>
{
    /// <summary>Trains on data held in memory, from the state's epoch on.</summary>
    public static TrainingHistory Fit(Network<T> network, Dataset<T> train, TrainingOptions options, Dataset<T>? validation, TrainingState<T> state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        options.Check();
        if (validation is null && options.ValidationFraction > 0)
        {
            (train, validation) = train.Split(options.ValidationFraction, options.Seed, stratify: train.IsClassification);
        }

        // A loaded dataset may still hold its samples row by row, the layout batches are gathered from: then they are
        // used as they are, and the column-major features are neither made nor copied.
        Matrix<T> targets = ShapedTargets(network, train, nameof(train));
        int batchSize = options.GradientDescent.BatchSize(train.Count);
        T[]? rows = batchSize < train.Count ? train.SampleRows : null;
        var batches = rows is not null
            ? new InMemoryBatches<T>(rows, train.FeatureCount, targets, options.GradientDescent)
            : new InMemoryBatches<T>(train.Features, targets, options.GradientDescent);
        var trainer = new Trainer<T>(network, options, state, validation is null ? null : Shaped(network, validation, nameof(validation)));
        return trainer.Run(() => batches.Epoch(state.Random), cancellationToken);
    }

    /// <summary>A dataset's inputs and network-shaped targets, after checking it fits the network.</summary>
    public static (Matrix<T> Inputs, Matrix<T> Targets) Shaped(Network<T> network, Dataset<T> data, string paramName)
    {
        Matrix<T> targets = ShapedTargets(network, data, paramName);
        return (data.Features, targets);
    }

    /// <summary>A dataset's network-shaped targets, after checking its features and targets fit the network.</summary>
    private static Matrix<T> ShapedTargets(Network<T> network, Dataset<T> data, string paramName)
    {
        if (data.FeatureCount != network.InputSize)
        {
            // The same check and message as for a matrix of features.
            Guard.Columns(data.Features, network.InputSize, network.Describe(), paramName + " features");
        }

        // Likewise for the feature names of data that names its columns (a CSV header).
        network.AdoptFeatureNames(data.FeatureNames, paramName);

        if (data.IsClassification)
        {
            if (data.ClassCount != network.ClassCount)
            {
                throw new ArgumentException($"{network.Describe()} separates {network.ClassCount} classes, but {paramName} has {data.ClassCount}.", paramName);
            }

            // A network without class names takes the data's; one with names refuses data that names its classes otherwise.
            network.AdoptClassNames(data.ClassNames, paramName);

            return TargetEncoding.Targets(network, data.Labels!, data.Count);
        }

        Guard.Columns(data.Targets, network.OutputSize, network.Describe(), paramName + " targets");
        return data.Targets;
    }

    /// <summary>Checks a streamed batch against the network: shapes, and finite values.</summary>
    public (Matrix<T> Inputs, Matrix<T> Targets) Checked(DataBatch<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch, "batches");
        Matrix<T>? inputs = batch.Inputs;
        Matrix<T>? targets = batch.Targets;
        if (inputs is { RowCount: > 0 } && targets is not null && inputs.ColumnCount == _network.InputSize
            && targets.ColumnCount == _network.OutputSize && targets.RowCount == inputs.RowCount
            && Storage.IsFinite(inputs) && Storage.IsFinite(targets))
        {
            // The common case is checked without naming the batch, so a step allocates nothing.
            return (Storage.Dense(inputs), Storage.Dense(targets));
        }

        string name = $"batch {_step}";
        Guard.NotEmpty(batch.Inputs, name);
        ArgumentNullException.ThrowIfNull(batch.Targets, name);
        Guard.Columns(batch.Inputs, _network.InputSize, _network.Describe(), $"{name} inputs");
        Guard.Columns(batch.Targets, _network.OutputSize, _network.Describe(), $"{name} targets");
        Guard.SameRowCount(batch.Inputs, batch.Targets.RowCount, $"{name} targets");
        Guard.Finite(batch.Inputs, $"{name} inputs");
        Guard.Finite(batch.Targets, $"{name} targets");
        return (Storage.Dense(batch.Inputs), Storage.Dense(batch.Targets));
    }
}
