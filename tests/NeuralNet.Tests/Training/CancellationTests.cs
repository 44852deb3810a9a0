using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Cancellation stops training between updates with <see cref="OperationCanceledException"/> and leaves a
/// network that is whole: the weights of the last completed update, usable for prediction and further training.
/// The expected weights come from twin networks (same seed) trained for exactly the completed work.
/// </summary>
public class CancellationTests
{
    /// <summary>Two Gaussian blobs in two dimensions, around (−1, 1) and (1, −1).</summary>
    private static (Matrix<double> Inputs, int[] Labels) Blobs(int seed, int perClass)
    {
        int[] labels = TestData.Grouped(perClass, perClass);
        return (TestData.Blobs<double>(new Random(seed), [[-1, 1], [1, -1]], labels, spread: 1), labels);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(5, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 17);

    private static double[][] Weights(Network<double> network) => [.. network.Parameters.Select(p => p.Value.ToColumnMajorArray())];

    private static void ShouldHaveWeights(Network<double> network, double[][] expected)
    {
        double[][] actual = Weights(network);
        for (int p = 0; p < expected.Length; p++)
        {
            actual[p].Should().Equal(expected[p], because: $"parameter {p} must hold exactly the last completed update");
        }
    }

    private static void ShouldBeUsable(Network<double> network, Matrix<double> inputs, int[] labels)
    {
        Weights(network).SelectMany(w => w).Should().OnlyContain(v => double.IsFinite(v));
        Matrix<double> predictions = network.Predict(inputs);
        predictions.RowCount.Should().Be(inputs.RowCount);
        predictions.ToRowArrays().Should().OnlyContain(row => Math.Abs(row.Sum() - 1) < 1e-12, "softmax rows are probabilities");
        network.Accuracy(inputs, labels).Should().BeInRange(0, 1);
    }

    [Fact]
    public void Cancelling_from_Progress_after_epoch_two_stops_with_the_weights_of_epoch_two()
    {
        (Matrix<double> inputs, int[] labels) = Blobs(seed: 601, perClass: 15);
        var options = new TrainingOptions { Epochs = 10, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(7), UpdateRule = new Adam(), Seed = 3 };
        Network<double> twoEpochs = Build();
        twoEpochs.Fit(inputs, labels, options with { Epochs = 2, UpdateRule = new Adam() });
        var seen = new List<int>();
        using var cancel = new CancellationTokenSource();
        Network<double> network = Build();

        Action act = () => network.Fit(inputs, labels, options with
        {
            Progress = new Callback<EpochRecord>(r =>
            {
                seen.Add(r.Epoch);
                if (r.Epoch == 2)
                {
                    cancel.Cancel();
                }
            }),
        }, cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        seen.Should().Equal(1, 2);
        ShouldHaveWeights(network, Weights(twoEpochs));
        ShouldBeUsable(network, inputs, labels);
    }

    [Fact]
    public void After_cancellation_Fit_can_continue_training_the_network()
    {
        (Matrix<double> inputs, int[] labels) = Blobs(seed: 602, perClass: 15);
        var options = new TrainingOptions { Epochs = 10, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(6), Seed = 4 };
        using var cancel = new CancellationTokenSource();
        Network<double> network = Build();
        double lossBefore = network.ComputeLoss(inputs, OneHot.Encode<double>(labels, 2));
        Action act = () => network.Fit(inputs, labels, options with { Progress = new Callback<EpochRecord>(_ => cancel.Cancel()) }, cancel.Token);
        act.Should().Throw<OperationCanceledException>();

        TrainingHistory more = network.Fit(inputs, labels, options with { Epochs = 20 });

        more.Epochs.Should().HaveCount(20);
        ShouldBeUsable(network, inputs, labels);
        network.ComputeLoss(inputs, OneHot.Encode<double>(labels, 2)).Should().BeLessThan(lossBefore / 2, "two well-separated blobs are easy to fit");
    }

    [Fact]
    public void Cancelling_in_the_middle_of_an_epoch_keeps_the_last_completed_update()
    {
        // Streamed batches let the test cancel after exactly three updates of the first epoch.
        (Matrix<double> inputs, int[] labels) = Blobs(seed: 603, perClass: 12);
        Dataset<double> data = Dataset.ForClassification(inputs, labels);
        DataBatch<double>[] batches = [.. data.Shuffle(5).Batches(4)];
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, UpdateRule = new Momentum(0.9) };
        Network<double> threeUpdates = Build();
        threeUpdates.Fit(batches.Take(3), options with { Epochs = 1, UpdateRule = new Momentum(0.9) });
        using var cancel = new CancellationTokenSource();
        Network<double> network = Build();

        IEnumerable<DataBatch<double>> CancelAfterThree()
        {
            for (int b = 0; b < batches.Length; b++)
            {
                yield return batches[b];
                if (b == 2)
                {
                    cancel.Cancel();
                }
            }
        }

        Action act = () => network.Fit(CancelAfterThree(), options, cancellationToken: cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        ShouldHaveWeights(network, Weights(threeUpdates));
        ShouldBeUsable(network, inputs, labels);
    }

    [Fact]
    public void A_token_cancelled_before_Fit_throws_without_touching_the_weights()
    {
        (Matrix<double> inputs, int[] labels) = Blobs(seed: 604, perClass: 8);
        Network<double> network = Build();
        double[][] before = Weights(network);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.5 };
        Dataset<double> data = Dataset.ForClassification(inputs, labels);

        Action labelsFit = () => network.Fit(inputs, labels, options, cancel.Token);
        Action targetsFit = () => network.Fit(inputs, data.Targets, options, cancel.Token);
        Action datasetFit = () => network.Fit(data, options, cancellationToken: cancel.Token);
        Action streamFit = () => network.Fit(data.Batches(4), options, cancellationToken: cancel.Token);

        labelsFit.Should().Throw<OperationCanceledException>();
        targetsFit.Should().Throw<OperationCanceledException>();
        datasetFit.Should().Throw<OperationCanceledException>();
        streamFit.Should().Throw<OperationCanceledException>();
        ShouldHaveWeights(network, before);
    }

    [Fact]
    public async Task FitAsync_with_a_cancelled_token_throws_without_touching_the_weights()
    {
        (Matrix<double> inputs, int[] labels) = Blobs(seed: 605, perClass: 8);
        Network<double> network = Build();
        double[][] before = Weights(network);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        DataBatch<double>[] batches = [.. Dataset.ForClassification(inputs, labels).Batches(4)];

        async IAsyncEnumerable<DataBatch<double>> Stream()
        {
            foreach (DataBatch<double> batch in batches)
            {
                await Task.Yield();
                yield return batch;
            }
        }

        Func<Task> act = () => network.FitAsync(Stream(), new TrainingOptions { Epochs = 2 }, cancellationToken: cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        ShouldHaveWeights(network, before);
    }

    /// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
