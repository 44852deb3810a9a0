using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Runtime;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Training;

namespace NeuralNet.MLNet.Internal;

/// <summary>Builds and trains the network for a task on rows read from ML.NET, and exports it as the ONNX model ML.NET runs.</summary>
internal static class NetworkTraining
{
    /// <summary>Checks the options that are not component names, naming the option, the value and what it expects.</summary>
    public static void CheckOptions(NeuralNetTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Positive(options.Epochs, nameof(options.Epochs));
        Positive(options.BatchSize, nameof(options.BatchSize));
        if (options.HiddenLayers is null || options.HiddenLayers.Any(units => units <= 0))
        {
            throw new ArgumentException($"{nameof(options.HiddenLayers)} expects a positive number of units per hidden layer, but got [{string.Join(", ", options.HiddenLayers ?? [])}].", nameof(options));
        }

        if (!double.IsFinite(options.LearningRate) || options.LearningRate <= 0)
        {
            throw new ArgumentException(Invariant($"{nameof(options.LearningRate)} expects a positive finite number, but got {options.LearningRate}."), nameof(options));
        }

        if (!double.IsFinite(options.WeightDecay) || options.WeightDecay < 0)
        {
            throw new ArgumentException(Invariant($"{nameof(options.WeightDecay)} expects a finite number ≥ 0, but got {options.WeightDecay}."), nameof(options));
        }

        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
        {
            throw new ArgumentException(Invariant($"{nameof(options.ValidationFraction)} expects a fraction in [0, 1), but got {options.ValidationFraction}."), nameof(options));
        }

        if (options.EarlyStoppingPatience is { } patience)
        {
            Positive(patience, nameof(options.EarlyStoppingPatience));
        }

        ArgumentNullException.ThrowIfNull(options.LearningRateSchedule, nameof(options.LearningRateSchedule));
        _ = ComponentNames.Activation(options.Activation);
        _ = ComponentNames.UpdateRule(options.UpdateRule);
    }

    /// <summary>Trains a network of element type <typeparamref name="T"/>; returns it, its history and its exported graph.</summary>
    public static (Network<T> Network, TrainingHistory History, byte[] Onnx) Train<T>(TrainingRows rows, PredictionKind kind, int classes, NeuralNetTrainerOptions options, IChannel channel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = rows.Features[0].Length;
        NetworkBuilder<T> builder = Network.Sequential<T>(inputs);
        Activations.Activation activation = ComponentNames.Activation(options.Activation);
        foreach (int units in options.HiddenLayers)
        {
            builder.Dense(units, activation);
        }

        T[][] features = [.. rows.Features.Select(row => row.Select(T.CreateChecked).ToArray())];
        Dataset<T> data;
        StandardScaler<T>? targetScaler = null;
        Loss loss;
        switch (kind)
        {
            case PredictionKind.Multiclass:
                builder.Dense(classes);
                loss = Loss.SoftmaxCrossEntropy;
                data = Dataset.ForClassification<T>(features, rows.Classes, classes);
                break;
            case PredictionKind.Binary:
                builder.Dense(1);
                loss = Loss.SigmoidBinaryCrossEntropy;
                data = Dataset.ForClassification<T>(features, rows.Classes, 2);
                break;
            default:
                // Standardised targets, so one learning rate suits labels of any scale; the export maps predictions back.
                builder.Dense(1);
                loss = Loss.MeanSquaredError;
                Matrix<T> targets = Matrix<T>.Build.Dense(rows.Targets.Count, 1, (i, _) => T.CreateChecked(rows.Targets[i]));
                targetScaler = new StandardScaler<T>().Fit(targets);
                data = Dataset.ForRegression(Matrix<T>.Build.DenseOfRowArrays(features), targetScaler.Transform(targets));
                builder.WithTargetScaler(targetScaler);
                break;
        }

        Network<T> network = builder.Build(loss, options.Seed);
        var training = new TrainingOptions
        {
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            GradientDescent = new MiniBatchGradientDescent(options.BatchSize),
            UpdateRule = ComponentNames.UpdateRule(options.UpdateRule),
            Schedule = options.LearningRateSchedule,
            WeightDecay = options.WeightDecay,
            ValidationFraction = options.ValidationFraction,
            EarlyStopping = options.EarlyStoppingPatience is { } patience ? new EarlyStopping(patience) : null,
            Seed = options.Seed,
            OnEpoch = record => channel.Info(MessageSensitivity.None, Describe(record, options.Epochs)),
            Progress = options.Progress,
        };

        channel.Info(MessageSensitivity.None, Invariant($"Training {network} on {rows.Features.Count} rows of {inputs} features for up to {options.Epochs} epochs."));
        TrainingHistory history = network.Fit(data, training);
        var export = new OnnxExportOptions
        {
            InputName = ScoringHead.NetworkInput,
            OutputName = ScoringHead.NetworkOutput,
            Output = kind == PredictionKind.Binary ? OnnxOutput.Logits : OnnxOutput.Predictions,
        };
        return (network, history, OnnxModel.ExportToBytes(network, export));
    }

    /// <summary>One epoch as a log line.</summary>
    public static string Describe(EpochRecord record, int epochs)
    {
        string line = Invariant($"Epoch {record.Epoch}/{epochs}: loss {record.Loss:G6}");
        if (record.Accuracy is { } accuracy)
        {
            line += Invariant($", accuracy {accuracy:P2}");
        }

        if (record.ValidationLoss is { } validationLoss)
        {
            line += Invariant($", validation loss {validationLoss:G6}");
        }

        if (record.ValidationAccuracy is { } validationAccuracy)
        {
            line += Invariant($", validation accuracy {validationAccuracy:P2}");
        }

        if (record.ValidationRSquared is { } rSquared)
        {
            line += Invariant($", validation R² {rSquared:F4}");
        }

        line += Invariant($", learning rate {record.LearningRate:G4}, {record.Elapsed.TotalMilliseconds:F0} ms");
        return record.Warning is { } warning ? line + ". " + warning : line;
    }

    private static void Positive(int value, string option)
    {
        if (value <= 0)
        {
            // The option is a property of the options argument, which is what the exception names.
#pragma warning disable CA2208
            throw new ArgumentException(Invariant($"{option} expects a positive number, but got {value}."), "options");
#pragma warning restore CA2208
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
