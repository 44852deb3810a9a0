using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Evaluation;

namespace NeuralNet.Training;

// The part of Trainer<T> that makes the records: an epoch's, with its validation, and the history handed back at the
// end of a run or with its cancellation.
internal sealed partial class Trainer<T>
{
    /// <summary>The cancellation, with the history of the epochs completed before it.</summary>
    private TrainingCanceledException Canceled(OperationCanceledException cancellation)
    {
        var history = new TrainingHistory([.. _state.History], _options.EarlyStopping is null ? null : _state.EarlyStopping.BestEpoch, _stopped);
        return new TrainingCanceledException(history, cancellation);
    }

    private TrainingHistory Finish()
    {
        if (_options.EarlyStopping is { RestoreBestWeights: true })
        {
            _state.EarlyStopping.RestoreBest(_network.Parameters);
        }

        return new TrainingHistory([.. _state.History], _options.EarlyStopping is null ? null : _state.EarlyStopping.BestEpoch, _stopped);
    }

    private EpochRecord Validate(double loss)
    {
        double? accuracy = _network.Loss.IsClassification ? (double)_correct / _samples : null;
        var record = new EpochRecord { Epoch = _epoch, Loss = loss, Accuracy = accuracy, Warning = _pendingWarning, LearningRate = _rate, Updates = _step, Elapsed = TimeSpan.Zero };
        _pendingWarning = null;
        if (_validation is not { } data)
        {
            return record;
        }

        Matrix<T> raw = _network.Infer(data.Inputs);
        double validationLoss = double.CreateChecked(_network.Loss.Compute(raw, data.Targets));
        if (!_network.Loss.IsClassification)
        {
            return record with { ValidationLoss = validationLoss, ValidationRSquared = Metrics.RSquared(data.Targets, raw) };
        }

        int[] predicted = ClassDecoder.Classes(_network.Loss.Transform(raw));
        int[] expected = ClassDecoder.Classes(data.Targets);
        return record with { ValidationLoss = validationLoss, ValidationAccuracy = Metrics.Accuracy(expected, predicted) };
    }
}
