using System.Numerics;
using NeuralNet.Internal;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Persistence;

/// <summary>
/// Resumable training checkpoints: the network plus the update rule's per-parameter state, the epochs done, the
/// shuffling generator's state, the early-stopping tracker and the history. Training stopped after epoch k and
/// resumed from its checkpoint ends with weights bit-identical to training that never stopped.
/// </summary>
/// <remarks>Checkpoints are written by training when <see cref="TrainingOptions.Checkpoint"/> is set.</remarks>
public static class TrainingCheckpoint
{
    /// <summary>Loads a checkpoint written during training.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The checkpoint, ready to <c>Resume</c>.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint of precision <typeparamref name="T"/>.</exception>
    public static TrainingCheckpoint<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream);
    }

    /// <summary>Loads a checkpoint from a stream.</summary>
    /// <param name="stream">The content.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ModelFormatException">The content is not a valid checkpoint of precision <typeparamref name="T"/>.</exception>
    public static TrainingCheckpoint<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelReader reader = ModelFile.Open(stream, out byte kind);
        if (kind != ModelFile.CheckpointKind)
        {
            throw new ModelFormatException("Expected a training checkpoint, but the file holds a model only; load it with Network.Load.");
        }

        Network<T> network = ModelFile.ReadNetwork<T>(reader);
        IReadOnlyList<Parameter<T>> parameters = network.Parameters;
        int completed = reader.Int32("the completed epoch count", 0, int.MaxValue);
        var random = new RandomSource(0) { State = (reader.UInt64(), reader.UInt64(), reader.UInt64(), reader.UInt64()) };
        UpdateRule rule = ReadRule(reader);
        for (int p = 0; p < parameters.Count; p++)
        {
            if (reader.Byte() == 0)
            {
                continue;
            }

            long step = reader.Int64();
            int buffers = reader.Byte();
            if (buffers != rule.BufferCount)
            {
                throw reader.Corrupt($"expected {rule.BufferCount} state buffers for {rule.Name}, but found {buffers}");
            }

            T[][] arrays = new T[buffers][];
            for (int b = 0; b < buffers; b++)
            {
                arrays[b] = reader.Values<T>(parameters[p].Length, $"update-rule state of parameter {p}");
            }

            rule.RestoreState(parameters[p], RuleState<T>.From(arrays, step));
        }

        var training = new TrainingState<T>(random)
        {
            CompletedEpochs = completed,
            BestLoss = reader.Double(),
            BestEpoch = reader.Int32("the best epoch", 0, int.MaxValue),
            EpochsWithoutImprovement = reader.Int32("the epochs without improvement", 0, int.MaxValue),
        };
        if (reader.Byte() != 0)
        {
            training.BestWeights = [.. parameters.Select((p, i) => reader.Values<T>(p.Length, $"best weights of parameter {i}"))];
        }

        int records = reader.Int32("the history length", 0, completed);
        for (int r = 0; r < records; r++)
        {
            training.History.Add(ReadRecord(reader));
        }

        ModelFile.End(reader);
        return new TrainingCheckpoint<T>(network, rule, training);
    }

    /// <summary>Writes a checkpoint of a run in progress, atomically replacing <paramref name="path"/>.</summary>
    internal static void Save<T>(string path, Network<T> network, UpdateRule rule, TrainingState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ModelFile.WriteAtomically(path, ModelFile.Encode(network, ModelFile.CheckpointKind, writer => Write(writer, network, rule, state)));

    private static void Write<T>(ModelWriter writer, Network<T> network, UpdateRule rule, TrainingState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.Int32(state.CompletedEpochs);
        (ulong s0, ulong s1, ulong s2, ulong s3) = state.Random.State;
        writer.UInt64(s0);
        writer.UInt64(s1);
        writer.UInt64(s2);
        writer.UInt64(s3);
        writer.Text(rule.Name);
        double[] hyper = rule.HyperParameters;
        writer.Byte((byte)hyper.Length);
        foreach (double h in hyper)
        {
            writer.Double(h);
        }

        foreach (Parameter<T> parameter in network.Parameters)
        {
            RuleState<T>? ruleState = rule.ExistingState(parameter);
            writer.Byte(ruleState is null ? (byte)0 : (byte)1);
            if (ruleState is null)
            {
                continue;
            }

            writer.Int64(ruleState.Step);
            writer.Byte((byte)ruleState.Buffers.Length);
            foreach (T[] buffer in ruleState.Buffers)
            {
                writer.Values<T>(buffer);
            }
        }

        writer.Double(state.BestLoss);
        writer.Int32(state.BestEpoch);
        writer.Int32(state.EpochsWithoutImprovement);
        writer.Byte(state.BestWeights is null ? (byte)0 : (byte)1);
        foreach (T[] weights in state.BestWeights ?? [])
        {
            writer.Values<T>(weights);
        }

        writer.Int32(state.History.Count);
        foreach (EpochRecord record in state.History)
        {
            writer.Int32(record.Epoch);
            writer.Double(record.Loss);
            writer.Double(record.ValidationLoss ?? double.NaN);
            writer.Double(record.ValidationAccuracy ?? double.NaN);
            writer.Double(record.ValidationRSquared ?? double.NaN);
            writer.Double(record.LearningRate);
            writer.Int32(record.Updates);
            writer.Int64(record.Elapsed.Ticks);
        }
    }

    private static EpochRecord ReadRecord(ModelReader reader)
    {
        int epoch = reader.Int32("an epoch number", 1, int.MaxValue);
        double loss = reader.Double();
        double validationLoss = reader.Double();
        double validationAccuracy = reader.Double();
        double validationRSquared = reader.Double();
        double rate = reader.Double();
        int updates = reader.Int32("an update count", 0, int.MaxValue);
        long ticks = reader.Int64();
        return new EpochRecord
        {
            Epoch = epoch,
            Loss = loss,
            ValidationLoss = double.IsNaN(validationLoss) ? null : validationLoss,
            ValidationAccuracy = double.IsNaN(validationAccuracy) ? null : validationAccuracy,
            ValidationRSquared = double.IsNaN(validationRSquared) ? null : validationRSquared,
            LearningRate = rate,
            Updates = updates,
            Elapsed = TimeSpan.FromTicks(Math.Max(0, ticks)),
        };
    }

    /// <summary>Rebuilds the rule from its identifier and hyper-parameters, from the closed list of rules.</summary>
    private static UpdateRule ReadRule(ModelReader reader)
    {
        string name = reader.Text("update rule");
        int count = reader.Byte();
        if (count > 3)
        {
            throw reader.Corrupt($"expected at most 3 update-rule hyper-parameters, but found {count}");
        }

        double[] h = new double[count];
        for (int i = 0; i < count; i++)
        {
            h[i] = reader.Double();
        }

        try
        {
            return (name, count) switch
            {
                ("plain", 0) => new Plain(),
                ("momentum", 1) => new Momentum(h[0]),
                ("nesterov", 1) => new Nesterov(h[0]),
                ("rmsprop", 2) => new RmsProp(h[0], h[1]),
                ("adam", 3) => new Adam(h[0], h[1], h[2]),
                _ => throw reader.Corrupt($"expected a known update rule with its hyper-parameters, but found '{name}' with {count}"),
            };
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"the {name} hyper-parameters are out of range ({e.Message})");
        }
    }
}
