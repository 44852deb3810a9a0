using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions.OnEpoch"/> runs on the training thread, so every epoch's record reaches it, in order,
/// before Fit returns: for data in memory, a synchronous stream and an asynchronous one.
/// </summary>
public class EpochCallbackTests
{
    private static Dataset<double> Blobs(int perClass)
    {
        int[] labels = TestData.Grouped(perClass, perClass);
        Matrix<double> inputs = TestData.Blobs<double>(new Random(5), [[-1, 1], [1, -1]], labels, spread: 1);
        return Dataset.ForClassification(inputs, labels, 2);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 3);

    private static async IAsyncEnumerable<DataBatch<double>> Async(IEnumerable<DataBatch<double>> batches)
    {
        foreach (DataBatch<double> batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("stream")]
    [InlineData("async")]
    public async Task Every_record_arrives_in_order_on_the_training_thread_before_Fit_returns(string source)
    {
        Dataset<double> data = Blobs(40);
        var seen = new List<EpochRecord>();
        var threads = new HashSet<int>();
        int? trainingThread = null;
        var options = new TrainingOptions
        {
            Epochs = 25,
            GradientDescent = new MiniBatchGradientDescent(8),
            OnEpoch = record =>
            {
                seen.Add(record);
                threads.Add(Environment.CurrentManagedThreadId);
            },
            Progress = new SynchronousProgress<EpochRecord>(_ => trainingThread ??= Environment.CurrentManagedThreadId),
        };
        DataBatch<double>[] batches = [.. data.Batches(8)];

        TrainingHistory history = source switch
        {
            "memory" => Build().Fit(data, options),
            "stream" => Build().Fit(batches, options),
            _ => await Build().FitAsync(Async(batches), options),
        };

        seen.Should().Equal(history.Epochs, because: "no report may be lost or reordered");
        seen.Select(r => r.Epoch).Should().Equal(Enumerable.Range(1, 25));
        if (source != "async")
        {
            threads.Should().Equal([trainingThread!.Value], because: "the callback runs on the training thread, as the synchronous progress does");
        }
    }

    [Fact]
    public void The_callback_may_evaluate_the_network_and_sees_the_weights_of_its_epoch()
    {
        Dataset<double> data = Blobs(20);
        Network<double> network = Build();
        var losses = new List<double>();
        var options = new TrainingOptions
        {
            Epochs = 4,
            GradientDescent = new BatchGradientDescent(),
            OnEpoch = _ => losses.Add(network.Loss.Compute(network.Infer(data.Features), TargetsOf(data))),
        };

        TrainingHistory history = network.Fit(data, options);

        // With batch descent an epoch's loss is measured before its one update, so it is the previous epoch's end loss.
        losses.Take(3).Should().Equal(history.Epochs.Skip(1).Select(e => e.Loss), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void An_exception_in_the_callback_ends_training_and_comes_out_of_Fit()
    {
        Dataset<double> data = Blobs(10);
        int calls = 0;
        var options = new TrainingOptions { Epochs = 5, OnEpoch = record => throw new InvalidOperationException($"stop at {record.Epoch} after {++calls}") };

        Action act = () => Build().Fit(data, options);

        act.Should().Throw<InvalidOperationException>().WithMessage("stop at 1 after 1");
        calls.Should().Be(1);
    }

    private static Matrix<double> TargetsOf(Dataset<double> data)
    {
        Matrix<double> targets = Matrix<double>.Build.Dense(data.Count, 2);
        for (int i = 0; i < data.Count; i++)
        {
            targets[i, data.Labels![i]] = 1;
        }

        return targets;
    }
}
