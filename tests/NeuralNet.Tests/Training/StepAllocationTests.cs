using System.Collections;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.Backends;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A training step allocates nothing once training is under way: the loop <c>Fit</c> runs, on data in memory and on
/// streamed batches, measured step by step on the training's thread. Buffers, enumerators and the epoch's records
/// are made per batch size or per epoch, never per step.
/// </summary>
[Collection(BackendSettings.Name)]
public sealed class StepAllocationTests : IDisposable
{
    private const int Features = 784;
    private const int Classes = 10;

    /// <summary>One warm-up epoch, then three pairs of measured epochs.</summary>
    private const int Epochs = 7;

    private readonly MatrixBackend _backend = MatrixBackend.Current;
    private readonly int _threads = MatrixBackend.ThreadCount;

    public static TheoryData<string, int, string> Cases()
    {
        var cases = new TheoryData<string, int, string>();
        foreach (string backend in MatrixBackend.OpenBlas is null ? new[] { "managed" } : ["managed", "openblas"])
        {
            foreach (int batch in new[] { 1, 32, 128 })
            {
                foreach (string rule in new[] { "plain", "adam" })
                {
                    cases.Add(backend, batch, rule);
                }
            }
        }

        return cases;
    }

    public void Dispose()
    {
        MatrixBackend.Current = _backend;
        MatrixBackend.ThreadCount = _threads;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_in_memory_step_allocates_nothing(string backend, int batch, string rule) => OnOwnThread(() =>
    {
        Use(backend);
        (Matrix<float> inputs, Matrix<float> targets) = Data(samples: 4 * batch + 3);
        Network<float> network = Build();
        var options = new TrainingOptions { LearningRate = 0.01, UpdateRule = Rule(rule), GradientDescent = new MiniBatchGradientDescent(batch) };
        var state = new TrainingState<float>(new RandomSource(5));
        var trainer = new Trainer<float>(network, options, state, null);
        var batches = new InMemoryBatches<float>(inputs, targets, options.GradientDescent);
        using (trainer.Start())
        {
            // The first epoch makes the buffers of both batch sizes (the full ones and the last, partial one).
            var perEpoch = new List<List<long>>();
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                trainer.BeginEpoch(CancellationToken.None);
                using IEnumerator<(Matrix<float> Inputs, Matrix<float> Targets)> epochBatches = batches.Epoch(state.Random).GetEnumerator();
                var steps = new List<long>(capacity: 64);
                while (true)
                {
                    // Exactly what Trainer.Run does per batch: take the next batch, then step on it.
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    if (!epochBatches.MoveNext())
                    {
                        break;
                    }

                    trainer.Step(epochBatches.Current.Inputs, epochBatches.Current.Targets);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    steps.Add(allocated);
                }

                perEpoch.Add(steps);
            }

            perEpoch.Should().AllSatisfy(steps => steps.Should().HaveCount((inputs.RowCount + batch - 1) / batch));
            ShouldSettleAtZero(perEpoch);
        }
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_streamed_step_allocates_nothing(string backend, int batch, string rule) => OnOwnThread(() =>
    {
        Use(backend);
        (Matrix<float> inputs, Matrix<float> targets) = Data(samples: batch);
        var source = new MeasuringSource(new DataBatch<float>(inputs, targets), batchesPerEpoch: 5);
        Network<float> network = Build();
        network.Fit(source, new TrainingOptions { Epochs = Epochs, LearningRate = 0.01, UpdateRule = Rule(rule) });

        // Between two requests for a batch, Fit checks the last one and steps on it.
        source.Gaps.Should().HaveCount(Epochs * 5);
        ShouldSettleAtZero([.. source.Gaps.Chunk(5).Select(epoch => epoch.ToList())]);
    });

    [Theory]
    [InlineData("managed")]
    [InlineData("openblas")]
    public void A_step_through_activation_layers_after_normalisations_allocates_nothing(string backend) => OnOwnThread(() =>
    {
        if (backend == "openblas" && MatrixBackend.OpenBlas is null)
        {
            return;
        }

        // PyTorch's Linear → BatchNorm1d → ReLU and Linear → LayerNorm → GELU, softmax included.
        Use(backend);
        (Matrix<float> inputs, Matrix<float> targets) = Data(samples: 4 * 32);
        Network<float> network = Network.Sequential(Features)
            .Dense(128).BatchNormalization().Activation(Activation.Relu)
            .Dense(64).LayerNormalization().Activation(Activation.Gelu)
            .Dense(Classes).Activation(Activation.Softmax)
            .Build(Loss.MeanSquaredError, seed: 3);
        var source = new MeasuringSource(new DataBatch<float>(inputs, targets), batchesPerEpoch: 5);

        network.Fit(source, new TrainingOptions { Epochs = Epochs, LearningRate = 0.01, UpdateRule = new Adam() });

        source.Gaps.Should().HaveCount(Epochs * 5);
        ShouldSettleAtZero([.. source.Gaps.Chunk(5).Select(epoch => epoch.ToList())]);
    });

    /// <summary>
    /// Runs <paramref name="test"/> on a thread of its own: the test runner's threads also run the runner's own work,
    /// which would count as the training's.
    /// </summary>
    private static void OnOwnThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                test();
            }
#pragma warning disable CA1031 // Rethrown on the test's thread below.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>
    /// After the first (warm-up) epoch, some pair of consecutive epochs allocates nothing at all. A step that
    /// allocates allocates again in every pair; what the runtime does once per process on first need (a lock
    /// object made the first time a wait really blocks, say) can fall into one pair, not into all of them.
    /// </summary>
    private static void ShouldSettleAtZero(List<List<long>> perEpoch)
    {
        List<long>[] pairs = [.. perEpoch.Skip(1).Chunk(2).Select(pair => pair.SelectMany(steps => steps).ToList())];
        pairs.Should().HaveCount((Epochs - 1) / 2);
        pairs.Should().Contain(
            steps => steps.All(bytes => bytes == 0),
            $"some two epochs of steady-state steps must allocate nothing; bytes per step were {string.Join(" | ", pairs.Select(p => string.Join(",", p)))}");
    }

    private static void Use(string backend)
    {
        MatrixBackend.Current = backend == "openblas" ? MatrixBackend.OpenBlas! : MatrixBackend.Managed;
        MatrixBackend.ThreadCount = 2;
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("openblas")]
    public void A_step_through_dropout_and_normalisation_layers_allocates_nothing(string backend) => OnOwnThread(() =>
    {
        if (backend == "openblas" && MatrixBackend.OpenBlas is null)
        {
            return;
        }

        Use(backend);
        (Matrix<float> inputs, Matrix<float> targets) = Data(samples: 4 * 32);
        Network<float> network = Network.Sequential(Features)
            .Dense(128, Activation.Relu).BatchNormalization().Dropout(0.3)
            .Dense(64, Activation.Relu).LayerNormalization()
            .Dense(Classes)
            .Build(Loss.SoftmaxCrossEntropy, seed: 3);
        var source = new MeasuringSource(new DataBatch<float>(inputs, targets), batchesPerEpoch: 5);

        network.Fit(source, new TrainingOptions { Epochs = Epochs, LearningRate = 0.01, UpdateRule = new Adam() });

        source.Gaps.Should().HaveCount(Epochs * 5);
        ShouldSettleAtZero([.. source.Gaps.Chunk(5).Select(epoch => epoch.ToList())]);
    });

    [Theory]
    [InlineData("managed", "momentum")]
    [InlineData("managed", "adam")]
    [InlineData("openblas", "momentum")]
    public void A_step_through_convolutions_and_pooling_allocates_nothing(string backend, string rule) => OnOwnThread(() =>
    {
        if (backend == "openblas" && MatrixBackend.OpenBlas is null)
        {
            return;
        }

        // Two threads and batches of 32: im2col, col2im and pooling split over samples, as in training on two cores.
        Use(backend);
        (Matrix<float> inputs, Matrix<float> targets) = Data(samples: 32);
        Network<float> network = Network.Sequential(channels: 1, height: 28, width: 28)
            .Conv2D(8, kernel: 5, Activation.Relu).MaxPool2D(2)
            .Conv2D(16, kernel: 5, Activation.Relu, padding: Padding.Same).AveragePool2D(2)
            .Flatten().Dense(Classes)
            .Build(Loss.SoftmaxCrossEntropy, seed: 3);
        var source = new MeasuringSource(new DataBatch<float>(inputs, targets), batchesPerEpoch: 5);

        network.Fit(source, new TrainingOptions { Epochs = Epochs, LearningRate = 0.01, UpdateRule = rule == "adam" ? new Adam() : new Momentum(0.9) });

        source.Gaps.Should().HaveCount(Epochs * 5);
        ShouldSettleAtZero([.. source.Gaps.Chunk(5).Select(epoch => epoch.ToList())]);
    });

    private static UpdateRule Rule(string name) => name == "adam" ? new Adam() : new Plain();

    private static Network<float> Build()
        => Network.Sequential(Features).Dense(128, Activation.Relu).Dense(Classes).Build(Loss.SoftmaxCrossEntropy, seed: 3);

    private static (Matrix<float> Inputs, Matrix<float> Targets) Data(int samples)
    {
        var random = new Random(11);
        Matrix<float> inputs = Matrix<float>.Build.Dense(samples, Features, (_, _) => (float)random.NextDouble());
        Matrix<float> targets = Matrix<float>.Build.Dense(samples, Classes);
        for (int i = 0; i < samples; i++)
        {
            targets[i, random.Next(Classes)] = 1;
        }

        return (inputs, targets);
    }

    /// <summary>
    /// Yields one batch a number of times per epoch and records, from the second request of an epoch on, what the
    /// training's thread allocated since the previous request: one check and one step of Fit's loop.
    /// </summary>
    private sealed class MeasuringSource(DataBatch<float> batch, int batchesPerEpoch) : IEnumerable<DataBatch<float>>
    {
        private readonly DataBatch<float> _batch = batch;
        private readonly int _batchesPerEpoch = batchesPerEpoch;

        public List<long> Gaps { get; } = [];

        public IEnumerator<DataBatch<float>> GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private sealed class Enumerator(MeasuringSource source) : IEnumerator<DataBatch<float>>
        {
            private int _given;
            private long _mark;

            public DataBatch<float> Current => source._batch;

            object IEnumerator.Current => Current;

            public bool MoveNext()
            {
                long now = GC.GetAllocatedBytesForCurrentThread();
                if (_given > 0)
                {
                    source.Gaps.Add(now - _mark);
                }

                if (_given == source._batchesPerEpoch)
                {
                    return false;
                }

                _given++;
                _mark = GC.GetAllocatedBytesForCurrentThread();
                return true;
            }

            public void Reset() => _given = 0;

            public void Dispose()
            {
            }
        }
    }
}
