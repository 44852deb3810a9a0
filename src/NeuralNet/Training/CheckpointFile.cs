using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Persistence;
using NeuralNet.UpdateRules;

namespace NeuralNet.Training;

/// <summary>
/// The training section of a checkpoint, after the network in a model file (see ModelFormat.md): epochs done, the
/// generator, the update rule and its state per parameter, the early-stopping tracker and the history. Version 2
/// stores the rule as a registered component; version 1 stored its name and hyper-parameters by position.
/// </summary>
internal static partial class CheckpointFile
{
    /// <summary>Version 1's rules, with their hyper-parameters in the order it wrote them; frozen, as version 1 is.</summary>
    private static readonly Dictionary<string, string[]> Version1Rules = new(StringComparer.Ordinal)
    {
        ["plain"] = [],
        ["momentum"] = ["coefficient"],
        ["nesterov"] = ["coefficient"],
        ["rmsprop"] = ["decay", "epsilon"],
        ["adam"] = ["beta1", "beta2", "epsilon"],
    };

    /// <summary>Writes a checkpoint of a run in progress, atomically replacing <paramref name="path"/>.</summary>
    public static void Save<T>(string path, Network<T> network, UpdateRule rule, TrainingState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AtomicFile.Write(path, ModelFile.Encode(network, ModelFile.CheckpointKind, writer => Write(writer, network, rule, state)));

    public static TrainingCheckpoint<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Internal.Guard.Precision<T>();
        ModelReader reader = ModelFile.Open(stream, out byte kind);
        if (kind != ModelFile.CheckpointKind)
        {
            throw new ModelFormatException("Expected a training checkpoint, but the file holds a model only; load it with Network.Load.");
        }

        Network<T> network = ModelFile.ReadNetwork<T>(reader);
        IReadOnlyList<Parameter<T>> parameters = network.Parameters;
        int completed = reader.Int32("the completed epoch count", 0, int.MaxValue - 1);
        (ulong, ulong, ulong, ulong) words = (reader.UInt64(), reader.UInt64(), reader.UInt64(), reader.UInt64());
        if (words == (0, 0, 0, 0))
        {
            throw reader.Corrupt("the generator state is all zero, which xoshiro256** never reaches and never leaves");
        }

        var random = new RandomSource(0) { State = words };
        UpdateRule rule = reader.FormatVersion == 1 ? ReadVersion1Rule(reader) : ComponentCodec.ReadUpdateRule(reader);
        var ruleState = new ParameterState<T>[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            ruleState[p] = ReadParameterState<T>(reader, rule, parameters[p], p);
        }

        var training = new TrainingState<T>(random, ruleState) { CompletedEpochs = completed };
        training.EarlyStopping.BestLoss = reader.Double();
        training.EarlyStopping.BestEpoch = reader.Int32("the best epoch", 0, completed);
        training.EarlyStopping.EpochsWithoutImprovement = reader.Int32("the epochs without improvement", 0, completed);
        if (reader.Byte() != 0)
        {
            training.EarlyStopping.BestWeights = [.. parameters.Select((p, i) => Finite(reader, reader.Values<T>(p.Length, $"best weights of parameter {i}"), $"the best weights of parameter {i}"))];
        }

        // Training records every epoch it completes, so the history holds exactly one record per completed epoch,
        // numbered from 1: a count that disagrees is not a checkpoint training wrote.
        int records = reader.Int32();
        if (records != completed)
        {
            throw reader.Corrupt($"the checkpoint claims {completed} completed epochs but its history holds {records} records");
        }

        for (int r = 0; r < records; r++)
        {
            EpochRecord record = ReadRecord(reader);
            if (record.Epoch != r + 1)
            {
                throw reader.Corrupt($"expected history record {r + 1} for epoch {r + 1}, but it is for epoch {record.Epoch}");
            }

            training.History.Add(record);
        }

        training.Position = ReadOptionalBlocks(reader, training.History, completed);
        ModelFile.End(reader);
        return new TrainingCheckpoint<T>(network, rule, training);
    }

    private static void Write<T>(ModelWriter writer, Network<T> network, UpdateRule rule, TrainingState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.Int32(state.CompletedEpochs);
        (ulong s0, ulong s1, ulong s2, ulong s3) = state.Random.State;
        writer.UInt64(s0);
        writer.UInt64(s1);
        writer.UInt64(s2);
        writer.UInt64(s3);
        ComponentCodec.WriteUpdateRule(writer, rule);
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            ParameterState<T> ruleState = state.Updater!.StateAt(p);
            writer.Byte(1);
            writer.Int64(ruleState.Step);
            writer.Byte((byte)ruleState.BufferCount);
            foreach (T[] buffer in ruleState.Buffers)
            {
                writer.Values<T>(buffer);
            }
        }

        EarlyStoppingTracker<T> early = state.EarlyStopping;
        writer.Double(early.BestLoss);
        writer.Int32(early.BestEpoch);
        writer.Int32(early.EpochsWithoutImprovement);
        writer.Byte(early.BestWeights is null ? (byte)0 : (byte)1);
        foreach (T[] weights in early.BestWeights ?? [])
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

        WriteRecordExtras(writer, state.History);
        WritePosition(writer, state.Position);
    }

    /// <summary>One parameter's rule state: a flag (0 when the rule had not touched it yet), the step count and the buffers.</summary>
    private static ParameterState<T> ReadParameterState<T>(ModelReader reader, UpdateRule rule, Parameter<T> parameter, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reader.Byte() == 0)
        {
            return new ParameterState<T>(rule.StateBufferCount, parameter.Length);
        }

        long step = reader.Int64();
        if (step < 0)
        {
            throw reader.Corrupt($"expected a non-negative step count for parameter {index}, but found {step}");
        }

        int buffers = reader.Byte();
        if (buffers != rule.StateBufferCount)
        {
            throw reader.Corrupt($"expected {rule.StateBufferCount} state buffers for {rule.Name}, but found {buffers}");
        }

        T[][] arrays = new T[buffers][];
        for (int b = 0; b < buffers; b++)
        {
            arrays[b] = Finite(reader, reader.Values<T>(parameter.Length, $"update-rule state of parameter {index}"), $"the update-rule state of parameter {index}");
        }

        return new ParameterState<T>(arrays, step);
    }

    /// <summary>Refuses a loaded array that holds a non-finite value, which would poison every later step.</summary>
    private static T[] Finite<T>(ModelReader reader, T[] values, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!T.IsFinite(values[k]))
            {
                throw reader.Corrupt(FormattableString.Invariant($"{what} is not finite: {double.CreateChecked(values[k])} at index {k}"));
            }
        }

        return values;
    }

    /// <summary>Version 1's rule: its name, a count, and its hyper-parameters by position.</summary>
    private static UpdateRule ReadVersion1Rule(ModelReader reader)
    {
        string name = reader.Text("update rule");
        int count = reader.Byte();
        if (!Version1Rules.TryGetValue(name, out string[]? keys) || keys.Length != count)
        {
            throw reader.Corrupt($"expected a known update rule with its hyper-parameters, but found '{name}' with {count}");
        }

        var config = new ComponentConfig();
        foreach (string key in keys)
        {
            config.Set(key, reader.Double());
        }

        return ComponentCodec.Create(reader, ComponentRegistry.UpdateRules, name, config);
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
}
