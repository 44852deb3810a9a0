using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Data;

// The part of Dataset<T> that holds a loaded dataset's samples row by row and makes the column-major features from them when first read.
public sealed partial class Dataset<T>
{
    /// <summary>
    /// The features sample by sample (row-major, <see cref="FeatureCount"/> values per sample), while the dataset
    /// still holds them that way; null once <see cref="Features"/> has been read, or when it never did.
    /// </summary>
    internal T[]? SampleRows => Volatile.Read(ref _sampleRows);

    /// <summary>Makes the column-major features from the samples, once, and lets the samples go.</summary>
    private Matrix<T> MakeFeatures()
    {
        lock (_gate)
        {
            if (_features is null)
            {
                Matrix<T> features = Storage.NewDense<T>(Count, FeatureCount);
                Span<T> to = Storage.Of(features);
                ReadOnlySpan<T> rows = _sampleRows!;
                for (int i = 0; i < Count; i++)
                {
                    ReadOnlySpan<T> sample = rows.Slice(i * FeatureCount, FeatureCount);
                    for (int j = 0; j < sample.Length; j++)
                    {
                        to[(j * Count) + i] = sample[j];
                    }
                }

                // Published before the samples are dropped: a reader sees the samples or the matrix, never neither.
                Volatile.Write(ref _features, features);
                Volatile.Write(ref _sampleRows, null);
            }

            return _features;
        }
    }
}
