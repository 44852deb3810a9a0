using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>Turns class labels into the targets a network trains on: one-hot rows, or a 0/1 column for a single output.</summary>
internal static class TargetEncoding
{
    public static Matrix<T> Targets<T>(Network<T> network, IReadOnlyList<int> labels, int sampleCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != sampleCount)
        {
            throw new ArgumentException($"Expected one label per sample: {sampleCount} samples but {labels.Count} labels.", nameof(labels));
        }

        int outputs = network.OutputSize;
        int classes = network.ClassCount;
        Matrix<T> targets = Storage.NewDense<T>(sampleCount, outputs);
        Span<T> values = Storage.Of(targets);
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"Expected labels in [0, {classes - 1}] for {network.Describe()}, but the label at index {i} is {label}.", nameof(labels));
            }

            if (outputs == 1)
            {
                values[i] = T.CreateChecked(label);
            }
            else
            {
                values[(label * sampleCount) + i] = T.One;
            }
        }

        return targets;
    }
}
