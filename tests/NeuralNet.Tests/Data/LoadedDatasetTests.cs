using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Data;

/// <summary>
/// A loaded dataset holds its samples row by row, the layout training gathers batches from, and makes its
/// column-major <see cref="Dataset{T}.Features"/> only when they are read: training on it neither copies the samples
/// nor trains any differently from the same data given as a matrix.
/// </summary>
public class LoadedDatasetTests
{
    private static readonly TrainingOptions TwoEpochs = new() { Epochs = 2, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(64), Seed = 9 };

    private static Network<float> Build() => Network.Sequential(784).Dense(16, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 2);

    [Fact]
    public void Training_on_a_loaded_dataset_equals_training_on_the_same_matrix_bit_for_bit()
    {
        Dataset<float> loaded = Mnist.Load<float>(MnistFixture.Directory, train: false);
        Dataset<float> loadedAgain = Mnist.Load<float>(MnistFixture.Directory, train: false);
        Dataset<float> fromMatrix = Dataset.ForClassification(loadedAgain.Features, [.. loadedAgain.Labels!], 10);
        Network<float> fromRows = Build();
        Network<float> fromColumns = Build();

        loaded.SampleRows.Should().NotBeNull("a dataset just loaded holds its samples row by row");
        fromRows.Fit(loaded, TwoEpochs);
        fromColumns.Fit(fromMatrix, TwoEpochs);

        loaded.SampleRows.Should().NotBeNull("training read the rows without making the features matrix");
        for (int p = 0; p < fromRows.Parameters.Count; p++)
        {
            fromRows.Parameters[p].Value.ToColumnMajorArray().Should().Equal(fromColumns.Parameters[p].Value.ToColumnMajorArray(), $"parameter {p}");
        }
    }

    [Fact]
    public void Training_on_a_loaded_dataset_does_not_copy_its_samples()
    {
        Dataset<float> loaded = Mnist.Load<float>(MnistFixture.Directory, train: false);
        Dataset<float> asMatrix = Dataset.ForClassification(Mnist.Load<float>(MnistFixture.Directory, train: false).Features, [.. loaded.Labels!], 10);
        long samples = (long)loaded.Count * loaded.FeatureCount * sizeof(float);

        long fromRows = AllocatedBy(() => Build().Fit(loaded, TwoEpochs));
        long fromColumns = AllocatedBy(() => Build().Fit(asMatrix, TwoEpochs));

        // From a matrix, training copies the samples row by row once (6.3 MB here); from a loaded dataset it does not.
        fromColumns.Should().BeGreaterThan(samples);
        fromRows.Should().BeLessThan(samples / 4);
    }

    [Fact]
    public void Features_are_made_once_from_the_rows_and_then_the_rows_are_let_go()
    {
        Dataset<float> loaded = Mnist.Load<float>(MnistFixture.Directory, train: false);
        float[] rows = loaded.SampleRows!;

        Matrix<float>[] seen = new Matrix<float>[8];
        Parallel.For(0, seen.Length, i => seen[i] = loaded.Features);

        seen.Should().AllSatisfy(m => m.Should().BeSameAs(seen[0]));
        loaded.SampleRows.Should().BeNull();
        loaded.Count.Should().Be(2000);
        loaded.FeatureCount.Should().Be(784);
        for (int i = 0; i < loaded.Count; i += 97)
        {
            for (int j = 0; j < loaded.FeatureCount; j += 13)
            {
                seen[0][i, j].Should().Be(rows[(i * 784) + j]);
            }
        }
    }

    private static long AllocatedBy(Action act)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        act();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
