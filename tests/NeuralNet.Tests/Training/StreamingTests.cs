using System.Collections;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Training on batches that arrive lazily, synchronously or asynchronously: each batch is one update, the source
/// is enumerated afresh every epoch, and a streamed run equals the in-memory run that makes the same updates.
/// </summary>
public class StreamingTests
{
    /// <summary>Three Gaussian blobs in two dimensions, classes interleaved.</summary>
    private static Dataset<double> Blobs(int seed, int count)
    {
        int[] labels = TestData.Interleaved(count, 3);
        Matrix<double> features = TestData.Blobs<double>(new Random(seed), [[2, 0], [-1, 1.7], [-1, -1.7]], labels, spread: 0.7);
        return Dataset.ForClassification(features, labels, 3);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(6, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 23);

    private static double[][] Weights(Network<double> network) => [.. network.Parameters.Select(p => p.Value.ToColumnMajorArray())];

    private static void ShouldHaveSameWeights(Network<double> actual, Network<double> expected)
    {
        double[][] a = Weights(actual);
        double[][] e = Weights(expected);
        for (int p = 0; p < e.Length; p++)
        {
            a[p].Should().Equal(e[p], because: $"parameter {p} must be bit-identical");
        }
    }

    /// <summary>Yields copies of the batches only when asked, counting how often enumeration starts.</summary>
    private sealed class CountingSource(IReadOnlyList<DataBatch<double>> batches, Action? beforeEachBatch = null) : IEnumerable<DataBatch<double>>
    {
        public int Enumerations { get; private set; }

        public int Yielded { get; private set; }

        public IEnumerator<DataBatch<double>> GetEnumerator()
        {
            Enumerations++;
            return Iterate();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IEnumerator<DataBatch<double>> Iterate()
        {
            foreach (DataBatch<double> batch in batches)
            {
                beforeEachBatch?.Invoke();
                Yielded++;
                yield return new DataBatch<double>(batch.Inputs.Clone(), batch.Targets.Clone());
            }
        }
    }

    /// <summary>The asynchronous counterpart, yielding control before every batch as a real reader would.</summary>
    private sealed class CountingAsyncSource(IReadOnlyList<DataBatch<double>> batches) : IAsyncEnumerable<DataBatch<double>>
    {
        public int Enumerations { get; private set; }

        public IAsyncEnumerator<DataBatch<double>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            Enumerations++;
            return Iterate(cancellationToken).GetAsyncEnumerator(cancellationToken);
        }

        private async IAsyncEnumerable<DataBatch<double>> Iterate([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (DataBatch<double> batch in batches)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return new DataBatch<double>(batch.Inputs.Clone(), batch.Targets.Clone());
            }
        }
    }

    [Fact]
    public void Streamed_batches_train_the_network()
    {
        Dataset<double> data = Blobs(seed: 801, count: 60);
        var source = new CountingSource([.. data.Batches(10)]);
        Network<double> network = Build();
        double before = network.ComputeLoss(data.Features, data.Targets);

        TrainingHistory history = network.Fit(source, new TrainingOptions { Epochs = 15, LearningRate = 0.1, UpdateRule = new Momentum(0.9) });

        history.Epochs.Should().HaveCount(15);
        history.Epochs.Should().OnlyContain(e => e.Updates == 6, "60 samples in batches of 10 make 6 updates");
        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss / 2);
        network.ComputeLoss(data.Features, data.Targets).Should().BeLessThan(before / 2);
    }

    [Fact]
    public void The_source_is_enumerated_once_per_epoch_and_each_batch_is_used_before_the_next_is_read()
    {
        Dataset<double> data = Blobs(seed: 802, count: 21);
        Network<double> network = Build();
        var firstWeightWhenReading = new List<double>();
        var source = new CountingSource([.. data.Batches(5)], () => firstWeightWhenReading.Add(network.Parameters[0].Value[0, 0]));
        source.Enumerations.Should().Be(0);

        TrainingHistory history = network.Fit(source, new TrainingOptions { Epochs = 4, LearningRate = 0.1 });

        history.Epochs.Should().HaveCount(4);
        source.Enumerations.Should().Be(4);
        source.Yielded.Should().Be(4 * 5, "21 samples in batches of 5 make 5 batches, read once per epoch");

        // Lazily consumed: an update happens between reading one batch and reading the next.
        firstWeightWhenReading.Zip(firstWeightWhenReading.Skip(1)).Should().OnlyContain(pair => pair.First != pair.Second);
    }

    [Fact]
    public void One_streamed_batch_of_all_samples_equals_batch_gradient_descent()
    {
        Dataset<double> data = Blobs(seed: 803, count: 30);
        var options = new TrainingOptions { Epochs = 12, LearningRate = 0.2, UpdateRule = new Plain() };
        Network<double> inMemory = Build();
        Network<double> streamed = Build();

        TrainingHistory expected = inMemory.Fit(data, options with { GradientDescent = new BatchGradientDescent() });
        TrainingHistory actual = streamed.Fit(new CountingSource([new DataBatch<double>(data.Features, data.Targets)]), options);

        ShouldHaveSameWeights(streamed, inMemory);
        actual.Epochs.Select(e => (e.Loss, e.Updates)).Should().Equal(expected.Epochs.Select(e => (e.Loss, e.Updates)));
    }

    [Fact]
    public void Several_streamed_batches_equal_one_update_per_batch_in_their_order()
    {
        // The independent computation: backpropagate each batch and step every parameter with the rule, by hand.
        Dataset<double> data = Blobs(seed: 804, count: 26);
        DataBatch<double>[] batches = [.. data.Shuffle(3).Batches(8)];
        const double rate = 0.05;
        Network<double> byHand = Build();
        var updater = new ParameterUpdater<double>(new Adam(), byHand.Parameters);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (DataBatch<double> batch in batches)
            {
                byHand.Backpropagate(batch.Inputs, batch.Targets);
                updater.Update(rate);
            }
        }

        Network<double> streamed = Build();
        streamed.Fit(new CountingSource(batches), new TrainingOptions { Epochs = 3, LearningRate = rate, UpdateRule = new Adam() });

        ShouldHaveSameWeights(streamed, byHand);
    }

    [Fact]
    public async Task FitAsync_trains_exactly_like_the_synchronous_stream()
    {
        Dataset<double> data = Blobs(seed: 805, count: 33);
        DataBatch<double>[] batches = [.. data.Batches(8)];
        Dataset<double> validation = Blobs(seed: 806, count: 12);
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.05, UpdateRule = new Adam() };
        Network<double> synchronous = Build();
        Network<double> asynchronous = Build();
        var source = new CountingAsyncSource(batches);

        TrainingHistory expected = synchronous.Fit(new CountingSource(batches), options, validation);
        TrainingHistory actual = await asynchronous.FitAsync(source, options, validation);

        source.Enumerations.Should().Be(5);
        ShouldHaveSameWeights(asynchronous, synchronous);
        actual.Epochs.Select(e => e with { Elapsed = TimeSpan.Zero }).Should().Equal(expected.Epochs.Select(e => e with { Elapsed = TimeSpan.Zero }));
        actual.Epochs[^1].Loss.Should().BeLessThan(actual.Epochs[0].Loss);
        actual.Epochs.Should().OnlyContain(e => e.ValidationLoss != null && e.ValidationAccuracy != null);
    }

    [Fact]
    public void A_batch_with_the_wrong_number_of_input_columns_throws_naming_the_batch()
    {
        // Batches are numbered from 0 within the epoch; the third batch is "batch 2".
        Dataset<double> data = Blobs(seed: 807, count: 12);
        List<DataBatch<double>> batches = [.. data.Batches(4)];
        batches[2] = new DataBatch<double>(Matrix<double>.Build.Dense(4, 3, 0.5), batches[2].Targets);

        Action act = () => Build().Fit(batches, new TrainingOptions { Epochs = 2 });

        act.Should().Throw<ArgumentException>().WithMessage("*expects 2 columns in batch 2 inputs but got 4×3*");
    }

    [Fact]
    public void A_batch_with_the_wrong_number_of_target_columns_throws_naming_the_batch()
    {
        Dataset<double> data = Blobs(seed: 808, count: 12);
        List<DataBatch<double>> batches = [.. data.Batches(4)];
        batches[1] = new DataBatch<double>(batches[1].Inputs, Matrix<double>.Build.Dense(4, 2, 0.5));

        Action act = () => Build().Fit(batches, new TrainingOptions { Epochs = 2 });

        act.Should().Throw<ArgumentException>().WithMessage("*expects 3 columns in batch 1 targets but got 4×2*");
    }

    [Fact]
    public void A_batch_whose_targets_have_a_different_row_count_throws_naming_the_batch()
    {
        Dataset<double> data = Blobs(seed: 809, count: 12);
        List<DataBatch<double>> batches = [.. data.Batches(4)];
        batches[0] = new DataBatch<double>(batches[0].Inputs, batches[0].Targets.SubMatrix(0, 3, 0, 3));

        Action act = () => Build().Fit(batches, new TrainingOptions { Epochs = 2 });

        act.Should().Throw<ArgumentException>().WithMessage("*4 samples but 3 rows in batch 0 targets*");
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void A_batch_with_a_non_finite_value_throws_naming_the_batch_and_the_cell(double bad, string shown)
    {
        Dataset<double> data = Blobs(seed: 810, count: 12);
        List<DataBatch<double>> batches = [.. data.Batches(4)];
        Matrix<double> inputs = batches[1].Inputs.Clone();
        inputs[2, 1] = bad;
        batches[1] = new DataBatch<double>(inputs, batches[1].Targets);
        Matrix<double> targets = batches[2].Targets.Clone();
        targets[3, 0] = bad;
        List<DataBatch<double>> badTargets = [.. data.Batches(4)];
        badTargets[2] = new DataBatch<double>(badTargets[2].Inputs, targets);

        Action badInput = () => Build().Fit(batches, new TrainingOptions { Epochs = 2 });
        Action badTarget = () => Build().Fit(badTargets, new TrainingOptions { Epochs = 2 });

        badInput.Should().Throw<ArgumentException>().WithMessage($"*batch 1 inputs must be finite, but row 2, column 1 is {shown}*");
        badTarget.Should().Throw<ArgumentException>().WithMessage($"*batch 2 targets must be finite, but row 3, column 0 is {shown}*");
    }

    [Fact]
    public async Task An_empty_source_throws()
    {
        Network<double> network = Build();
        double[][] before = Weights(network);

        Action empty = () => network.Fit(new CountingSource([]), new TrainingOptions { Epochs = 3 });
        Func<Task> emptyAsync = () => network.FitAsync(new CountingAsyncSource([]), new TrainingOptions { Epochs = 3 });

        empty.Should().Throw<ArgumentException>().WithMessage("*at least one training sample in epoch 1*produced none*");
        await emptyAsync.Should().ThrowAsync<ArgumentException>().WithMessage("*at least one training sample in epoch 1*produced none*");
        Weights(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_source_that_runs_dry_after_the_first_epoch_throws_naming_the_epoch()
    {
        Dataset<double> data = Blobs(seed: 811, count: 9);
        DataBatch<double>[] batches = [.. data.Batches(3)];
        int epochs = 0;

        IEnumerable<DataBatch<double>> OnceOnly()
        {
            if (epochs++ > 0)
            {
                yield break;
            }

            foreach (DataBatch<double> batch in batches)
            {
                yield return batch;
            }
        }

        var source = new DelegateEnumerable(OnceOnly);
        Action act = () => Build().Fit(source, new TrainingOptions { Epochs = 3 });

        act.Should().Throw<ArgumentException>().WithMessage("*epoch 2*produced none*");
    }

    [Fact]
    public void A_stream_cannot_be_split_for_validation()
    {
        Dataset<double> data = Blobs(seed: 812, count: 9);

        Action act = () => Build().Fit(data.Batches(3), new TrainingOptions { ValidationFraction = 0.2 });

        act.Should().Throw<ArgumentException>().WithMessage("*cannot be split for validation*ValidationFraction 0.2*");
    }

    /// <summary>Calls a fresh iterator for each enumeration.</summary>
    private sealed class DelegateEnumerable(Func<IEnumerable<DataBatch<double>>> create) : IEnumerable<DataBatch<double>>
    {
        public IEnumerator<DataBatch<double>> GetEnumerator() => create().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
