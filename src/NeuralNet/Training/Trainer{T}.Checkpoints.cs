using System.Diagnostics;
using System.Numerics;

namespace NeuralNet.Training;

// The part of Trainer<T> that checkpoints within epochs and takes up an epoch where such a checkpoint stopped.
internal sealed partial class Trainer<T>
{
    /// <summary>
    /// Takes up an epoch where a checkpoint written within it stopped: its running totals, and the generator wound
    /// back to the epoch's start, so that the epoch's batches come in the same order; the batches already used are
    /// then passed over (<see cref="SkipDoneBatch"/>) and the generator set to where the checkpoint left it.
    /// </summary>
    private void ResumeWithin(EpochPosition position)
    {
        _resumeAt = null;
        _step = position.Updates;
        _lossSum = position.LossSum;
        _samples = position.Samples;
        _correct = position.Correct;
        _started = Stopwatch.GetTimestamp() - (long)(position.Elapsed.TotalSeconds * Stopwatch.Frequency);
        _pendingWarning = position.Warning;
        _scaleChecked = true;
        _randomAfterSkip = _state.Random.State;
        _state.Random.State = position.EpochStartRandom;
        _epochStartRandom = position.EpochStartRandom;
        _skip = position.Updates;
    }

    /// <summary>Whether the batch is one the resumed epoch had already used before its checkpoint, to pass over.</summary>
    private bool SkipDoneBatch()
    {
        if (_skip == 0)
        {
            return false;
        }

        // The batch order is made by now (a shuffle draws before the first batch), and the updates to come draw from
        // where the interrupted run had got to.
        if (--_skip == 0)
        {
            _state.Random.State = _randomAfterSkip;
        }

        return true;
    }

    /// <summary>Writes a checkpoint after this update when the options ask for one every so many updates or so much time.</summary>
    private void CheckpointWithinEpoch()
    {
        if (_options.Checkpoint is not { } checkpoint
            || !((checkpoint.EveryUpdates > 0 && (_updatesBefore + _step) % checkpoint.EveryUpdates == 0)
                 || (checkpoint.Interval is { } interval && Stopwatch.GetElapsedTime(_lastCheckpoint) >= interval)))
        {
            return;
        }

        _state.Position = new EpochPosition(_step, _epochStartRandom, _lossSum, _samples, _correct, Stopwatch.GetElapsedTime(_started), _pendingWarning);
        try
        {
            CheckpointFile.Save(checkpoint.Path, _network, _options.UpdateRule, _state);
        }
        finally
        {
            _state.Position = null;
        }

        _lastCheckpoint = Stopwatch.GetTimestamp();
    }
}
