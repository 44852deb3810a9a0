using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>A cancelled Fit throws <see cref="TrainingCanceledException"/>, which hands back the completed epochs and is still an <see cref="OperationCanceledException"/>.</summary>
public class TrainingCanceledTests
{
    private static Dataset<double> Blobs()
    {
        int[] labels = TestData.Grouped(20, 20);
        return Dataset.ForClassification(TestData.Blobs<double>(new Random(1), [[-1, 1], [1, -1]], labels, spread: 1), labels, 2);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 6);

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
    public async Task The_exception_holds_the_history_of_the_completed_epochs(string source)
    {
        Dataset<double> data = Blobs();
        using var cancellation = new CancellationTokenSource();
        var seen = new List<EpochRecord>();
        var options = new TrainingOptions
        {
            Epochs = 10,
            GradientDescent = new MiniBatchGradientDescent(8),
            OnEpoch = record =>
            {
                seen.Add(record);
                if (record.Epoch == 3)
                {
                    cancellation.Cancel();
                }
            },
        };
        DataBatch<double>[] batches = [.. data.Batches(8)];
        Func<Task> act = source switch
        {
            "memory" => () => Task.FromResult(Build().Fit(data, options, cancellationToken: cancellation.Token)),
            "stream" => () => Task.FromResult(Build().Fit(batches, options, cancellationToken: cancellation.Token)),
            _ => () => Build().FitAsync(Async(batches), options, cancellationToken: cancellation.Token),
        };

        TrainingCanceledException thrown = (await act.Should().ThrowAsync<TrainingCanceledException>()).Which;

        thrown.History.Epochs.Should().Equal(seen).And.HaveCount(3);
        thrown.History.FinalLoss.Should().Be(seen[^1].Loss);
        thrown.CancellationToken.Should().Be(cancellation.Token);
        thrown.Message.Should().Contain("3 completed epoch");
    }

    [Fact]
    public void A_catch_of_OperationCanceledException_still_catches_it()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        OperationCanceledException? caught = null;

        try
        {
            Build().Fit(Blobs(), new TrainingOptions { Epochs = 2 }, cancellationToken: cancellation.Token);
        }
        catch (OperationCanceledException e)
        {
            caught = e;
        }

        caught.Should().BeOfType<TrainingCanceledException>().Which.History.Epochs.Should().BeEmpty();
    }

    [Fact]
    public void The_public_constructors_give_an_empty_history()
    {
        var inner = new OperationCanceledException();

        var made = new TrainingCanceledException("stopped", inner);

        made.History.Epochs.Should().BeEmpty();
        made.InnerException.Should().BeSameAs(inner);
        new TrainingCanceledException().Message.Should().Be("Training was cancelled.");
    }
}
