using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// Prediction is safe from many threads at once and gives exactly the sequential results; a network being trained
/// rejects calls from other threads instead of reading weights mid-update, while its own progress callbacks may use it.
/// </summary>
public class ConcurrencyTests
{
    [Fact]
    public void Eight_threads_predicting_ten_thousand_samples_at_once_get_exactly_the_sequential_results()
    {
        Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 3);
        var random = new Random(12);
        Matrix<float> samples = Matrix<float>.Build.Dense(10_000, 784, (_, _) => (float)random.NextDouble());
        float[] sequential = network.Predict(samples).ToColumnMajorArray();
        int[] sequentialClasses = network.PredictClasses(samples);

        // Each thread predicts all samples in its own slices, so threads overlap in every product they run.
        var results = new float[8][];
        var classes = new int[8][];
        using var start = new Barrier(8);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            start.SignalAndWait();
            results[t] = network.Predict(samples).ToColumnMajorArray();
            classes[t] = network.PredictClasses(samples);
        });

        for (int t = 0; t < 8; t++)
        {
            results[t].Should().Equal(sequential, "thread {0} must see the sequential result bit for bit", t);
            classes[t].Should().Equal(sequentialClasses);
        }
    }

    [Fact]
    public async Task A_Progress_handler_that_runs_while_training_goes_on_is_refused_like_any_other_thread()
    {
        // Progress<T> posts each report to the thread pool, so its handler runs on another thread while later epochs
        // train. The second epoch's data waits until the first epoch's handler has tried to predict, so the attempt
        // certainly falls inside the training.
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        Matrix<double> targets = TestData.OneHot(labels, 2);
        using var attempted = new ManualResetEventSlim(false);
        Exception? fromHandler = null;
        bool handlerRanPredict = false;

        // Made on a pool thread, which has no synchronisation context, so the reports go to the thread pool as in a
        // console program (a test runner's own context could have no thread free for them).
        TrainingOptions options = await Task.Run(() => new TrainingOptions
        {
            Epochs = 2,
            LearningRate = 0.1,
            Progress = new Progress<EpochRecord>(record =>
            {
                if (record.Epoch != 1)
                {
                    return;
                }

                try
                {
                    network.Predict(x);
                    handlerRanPredict = true;
                }
                catch (InvalidOperationException e)
                {
                    fromHandler = e;
                }
                finally
                {
                    attempted.Set();
                }
            }),
        });

        network.Fit(Batches(x, targets, attempted), options);

        attempted.IsSet.Should().BeTrue();
        handlerRanPredict.Should().BeFalse("the weights were changing under that prediction");
        fromHandler.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Match("*being trained on another thread*");
    }

    /// <summary>One batch per epoch; from the second epoch on, each waits (at most 10 s) until <paramref name="gate"/> is set.</summary>
    private static Source Batches(Matrix<double> x, Matrix<double> y, ManualResetEventSlim gate)
    {
        int epoch = 0;
        return new Source(() =>
        {
            if (++epoch > 1)
            {
                gate.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the first epoch's progress handler must run");
            }

            return new DataBatch<double>(x, y);
        });
    }

    private sealed class Source(Func<DataBatch<double>> next) : IEnumerable<DataBatch<double>>
    {
        public IEnumerator<DataBatch<double>> GetEnumerator()
        {
            yield return next();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void A_network_in_training_rejects_predictions_from_other_threads_but_not_from_its_progress_callback()
    {
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        Exception? fromOtherThread = null;
        double? lossInCallback = null;
        var options = new TrainingOptions
        {
            Epochs = 3,
            LearningRate = 0.1,
            Progress = new SynchronousProgress<EpochRecord>(record =>
            {
                if (record.Epoch != 1)
                {
                    return;
                }

                lossInCallback = network.ComputeLoss(x, TestData.OneHot(labels, 2));
                fromOtherThread = Elsewhere(() => network.Predict(x));
            }),
        };

        network.Fit(x, labels, options);

        lossInCallback.Should().NotBeNull().And.BeGreaterThan(0);
        fromOtherThread.Should().BeOfType<InvalidOperationException>()
            .Which.Message.Should().Match("*being trained on another thread*after Fit returns*");
        Action afterwards = () => Task.Run(() => network.Predict(x)).GetAwaiter().GetResult();
        afterwards.Should().NotThrow("the guard is released when Fit returns");
    }

    [Fact]
    public void A_second_Fit_on_the_same_network_while_one_runs_is_rejected()
    {
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        Exception? second = null;
        var options = new TrainingOptions
        {
            Epochs = 2,
            LearningRate = 0.1,
            Progress = new SynchronousProgress<EpochRecord>(record =>
            {
                if (record.Epoch == 1)
                {
                    second = Elsewhere(() => network.Fit(x, labels, new TrainingOptions { Epochs = 1 }));
                }
            }),
        };

        network.Fit(x, labels, options);

        second.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Match("*already being trained*");
    }

    [Fact]
    public void Saving_from_another_thread_during_training_is_rejected()
    {
        (Network<double> network, Matrix<double> x, int[] labels) = Problem();
        Exception? save = null;
        var options = new TrainingOptions
        {
            Epochs = 2,
            Progress = new SynchronousProgress<EpochRecord>(_ => save ??= Elsewhere(() => network.Save(new MemoryStream()))),
        };

        network.Fit(x, labels, options);

        save.Should().BeOfType<InvalidOperationException>();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that does not inherit the caller's execution context, as a
    /// thread unrelated to the training would (a task could be inlined on the waiting thread, and a thread started
    /// normally carries the caller's context along).
    /// </summary>
    private static Exception? Elsewhere(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(() => caught = Record.Exception(action));
        using (ExecutionContext.SuppressFlow())
        {
            thread.Start();
        }

        thread.Join();
        return caught;
    }

    private static (Network<double> Network, Matrix<double> X, int[] Labels) Problem()
    {
        var random = new Random(5);
        Matrix<double> x = TestData.RandomMatrix(random, 40, 3);
        int[] labels = [.. Enumerable.Range(0, 40).Select(i => x[i, 0] > 0 ? 1 : 0)];
        Network<double> network = Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 2);
        return (network, x, labels);
    }
}
