using NeuralNet.Persistence;

namespace NeuralNet.Training;

// The optional blocks after a checkpoint's history: the records' training accuracy and warning (marker 1), and the
// position within an unfinished epoch (marker 2). Each is written only when there is something to write, so a
// checkpoint without them is byte for byte what earlier versions wrote.
internal static partial class CheckpointFile
{
    /// <summary>
    /// Where in an unfinished epoch the checkpoint was written, in an optional block after the history (and after the
    /// records' extras, when there are any): a marker byte 2, the updates done in the epoch, the generator's state at
    /// the epoch's start, the epoch's running loss sum, sample count and correct count, its elapsed ticks and its
    /// warning. Written only for a checkpoint written within an epoch, so one written at an epoch's end is byte for
    /// byte what earlier versions wrote and read.
    /// </summary>
    private static void WritePosition(ModelWriter writer, EpochPosition? position)
    {
        if (position is null)
        {
            return;
        }

        writer.Byte(2);
        writer.Int32(position.Updates);
        (ulong s0, ulong s1, ulong s2, ulong s3) = position.EpochStartRandom;
        writer.UInt64(s0);
        writer.UInt64(s1);
        writer.UInt64(s2);
        writer.UInt64(s3);
        writer.Double(position.LossSum);
        writer.Int32(position.Samples);
        writer.Int32(position.Correct);
        writer.Int64(position.Elapsed.Ticks);
        writer.Utf8(position.Warning ?? string.Empty);
    }

    /// <summary>Reads what may follow the history: the records' extras (marker 1), then the position within an epoch (marker 2).</summary>
    private static EpochPosition? ReadOptionalBlocks(ModelReader reader, List<EpochRecord> history, int completed)
    {
        if (reader.Remaining == 0)
        {
            return null;
        }

        byte marker = reader.Byte();
        if (marker == 1)
        {
            ReadRecordExtras(reader, history);
            if (reader.Remaining == 0)
            {
                return null;
            }

            marker = reader.Byte();
            if (marker != 2)
            {
                throw reader.Corrupt($"expected the end of the checkpoint or the position within epoch {completed + 1} (marker 2) after the records' accuracy block, but found byte {marker}");
            }
        }
        else if (marker != 2)
        {
            throw reader.Corrupt($"expected the end of the checkpoint, the epoch records' accuracy block (marker 1) or the position within epoch {completed + 1} (marker 2), but found byte {marker}");
        }

        return ReadPosition(reader, completed + 1);
    }

    private static EpochPosition ReadPosition(ModelReader reader, int epoch)
    {
        int updates = reader.Int32($"the updates done in epoch {epoch}", 1, int.MaxValue);
        (ulong, ulong, ulong, ulong) start = (reader.UInt64(), reader.UInt64(), reader.UInt64(), reader.UInt64());
        if (start == (0, 0, 0, 0))
        {
            throw reader.Corrupt($"the generator state at the start of epoch {epoch} is all zero, which xoshiro256** never reaches");
        }

        double lossSum = reader.Double();
        if (!double.IsFinite(lossSum))
        {
            throw reader.Corrupt($"the running loss of epoch {epoch} is {lossSum}, not finite");
        }

        int samples = reader.Int32($"the samples used in epoch {epoch}", updates, int.MaxValue);
        int correct = reader.Int32($"the correctly classified samples of epoch {epoch}", 0, samples);
        long ticks = reader.Int64();
        string warning = reader.Utf8($"the warning of epoch {epoch}");
        return new EpochPosition(updates, start, lossSum, samples, correct, TimeSpan.FromTicks(Math.Max(0, ticks)), warning.Length == 0 ? null : warning);
    }

    /// <summary>
    /// The records' training accuracy and data warning, in an optional block after the history: a marker byte 1,
    /// then per record a double (NaN for none) and a UTF-8 text (empty for none). Written only when some record has
    /// one, so the checkpoint of a run without them is byte for byte what earlier versions wrote and read.
    /// </summary>
    private static void WriteRecordExtras(ModelWriter writer, List<EpochRecord> history)
    {
        if (!history.Exists(r => r.Accuracy is not null || r.Warning is not null))
        {
            return;
        }

        writer.Byte(1);
        foreach (EpochRecord record in history)
        {
            writer.Double(record.Accuracy ?? double.NaN);
            writer.Utf8(record.Warning ?? string.Empty);
        }
    }

    private static void ReadRecordExtras(ModelReader reader, List<EpochRecord> history)
    {
        for (int r = 0; r < history.Count; r++)
        {
            double accuracy = reader.Double();
            if (!double.IsNaN(accuracy) && accuracy is < 0 or > 1)
            {
                throw reader.Corrupt($"the training accuracy of epoch {r + 1} is {accuracy}, outside [0, 1]");
            }

            string warning = reader.Utf8($"the warning of epoch {r + 1}");
            history[r] = history[r] with { Accuracy = double.IsNaN(accuracy) ? null : accuracy, Warning = warning.Length == 0 ? null : warning };
        }
    }
}
