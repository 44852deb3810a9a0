using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Where a training step allocates: bytes per call of the step, of its parts and of each matrix product, measured with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> (all threads, precise) and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> (the calling thread) around many calls.
/// Run with <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --allocations</c>.
/// </summary>
internal static class AllocationProbe
{
    private static readonly (int Inputs, int Outputs)[] Layers = [(784, 128), (128, 10)];

    public static void Run()
    {
        Console.WriteLine($"Threads: {MatrixBackend.ThreadCount}. Bytes per call: all threads / calling thread.");
        Console.WriteLine("== reference: the column split with an empty job");
        var empty = new EmptyJob();
        Report("ColumnSplit.Run(empty job, 2 chunks, 128 columns)", 1000, () => ColumnSplit.Run(empty, 2, 128));
        foreach (string name in BenchmarkBackends.Available())
        {
            foreach (int batch in new[] { 1, 32, 128, 8000 })
            {
                Probe(name, batch);
            }
        }

        foreach (string name in BenchmarkBackends.Available())
        {
            foreach (int batch in new[] { 32, 128 })
            {
                ProbeCnn(name, batch);
            }
        }
    }

    /// <summary>The CNN workload's step (<see cref="CnnTrainingStepBenchmarks"/>), its parts and its convolutions' products.</summary>
    private static void ProbeCnn(string name, int batch)
    {
        MatrixBackend backend = BenchmarkBackends.Get(name);
        MatrixBackend.Current = backend;
        int calls = batch >= 128 ? 50 : 200;
        Network<float> network = CnnWorkload.Build();
        var updater = new ParameterUpdater<float>(new Plain(), network.Parameters);
        (Matrix<float> inputs, Matrix<float> targets) = CnnWorkload.RandomBatch(batch);
        Trainer<float> fused = FitStepper.Create(CnnWorkload.Build(), new Plain(), CnnWorkload.LearningRate);

        Console.WriteLine($"== cnn, {name}, batch {batch}");
        Report("the step Fit runs (trainer step, plain rule fused)", calls, () => fused.Step(inputs, targets));
        Report("a user's loop (Backpropagate + ParameterUpdater.Update)", calls, () =>
        {
            network.Backpropagate(inputs, targets);
            updater.Update((float)CnnWorkload.LearningRate);
        });
        Report("  Backpropagate (public, checks arguments)", calls, () => network.Backpropagate(inputs, targets));
        Report("  ParameterUpdater.Update", calls, () => updater.Update((float)CnnWorkload.LearningRate));

        var random = new Random(1);
        IReadOnlyList<Layers.Conv2D<float>> convolutions = CnnWorkload.Convolutions(network);
        for (int l = 0; l < convolutions.Count; l++)
        {
            foreach (Product product in Enum.GetValues<Product>())
            {
                ProductShape shape = CnnWorkload.Shape(convolutions[l], product, batch);
                float[] a = BackendCheck.Storage(BackendCheck.RandomMatrix(random, shape.AShape));
                float[] b = BackendCheck.Storage(BackendCheck.RandomMatrix(random, shape.BShape));
                float[] c = new float[shape.M * shape.N];
                Report($"  Multiply conv{l + 1} {shape}", calls, () => backend.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, a, b, 0f, c));
            }
        }
    }

    private static void Probe(string name, int batch)
    {
        MatrixBackend backend = BenchmarkBackends.Get(name);
        MatrixBackend.Current = backend;
        int calls = batch >= 8000 ? 10 : 500;
        Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        var updater = new ParameterUpdater<float>(new Plain(), network.Parameters);
        var random = new Random(1);
        Matrix<float> inputs = Matrix<float>.Build.Dense(batch, 784, (_, _) => (float)random.NextDouble());
        Matrix<float> targets = Matrix<float>.Build.Dense(batch, 10);
        for (int i = 0; i < batch; i++)
        {
            targets[i, random.Next(10)] = 1;
        }

        Console.WriteLine($"== {name}, batch {batch}");
        Trainer<float> fused = FitStepper.Create(new Plain());
        Trainer<float> unfused = FitStepper.Create(new Plain(fuses: false));
        Func<float> loop = FitStepper.Loop(8000, batch);
        Report("Fit's loop per batch (gather in the epoch's order, then the step)", calls, () => loop());
        Report("the step Fit runs (trainer step, plain rule fused)", calls, () => fused.Step(inputs, targets));
        Report("  the same step unfused", calls, () => unfused.Step(inputs, targets));
        Report("a user's loop (Backpropagate + ParameterUpdater.Update)", calls, () =>
        {
            network.Backpropagate(inputs, targets);
            updater.Update(0.1f);
        });
        Report("  Backpropagate (public, checks arguments)", calls, () => network.Backpropagate(inputs, targets));
        Report("  ParameterUpdater.Update", calls, () => updater.Update(0.1f));

        for (int l = 0; l < Layers.Length; l++)
        {
            foreach (ProductShape shape in ProductShape.OfLayer(batch, Layers[l].Inputs, Layers[l].Outputs))
            {
                float[] a = BackendCheck.Storage(BackendCheck.RandomMatrix(random, shape.AShape));
                float[] b = BackendCheck.Storage(BackendCheck.RandomMatrix(random, shape.BShape));
                float[] c = new float[shape.M * shape.N];
                Report($"  Multiply layer {l} {shape}", calls, () => backend.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, a, b, 0f, c));
            }
        }
    }


    private static void Report(string what, int calls, Action action)
    {
        // Warm up for half a second so tiered compilation has settled (tier-0 code and rejits allocate differently).
        var warmup = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 5 || warmup.ElapsedMilliseconds < 500; i++)
        {
            action();
        }

        long total = GC.GetTotalAllocatedBytes(precise: true);
        long thread = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        double perCallThread = (GC.GetAllocatedBytesForCurrentThread() - thread) / (double)calls;
        double perCallTotal = (GC.GetTotalAllocatedBytes(precise: true) - total) / (double)calls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-75} {perCallTotal,10:F1} / {perCallThread,10:F1}"));
    }

    /// <summary>A column job that does nothing, to measure the split's own cost.</summary>
    private sealed class EmptyJob : ColumnSplit.IColumnJob
    {
        public void Run(int first, int count)
        {
        }
    }
}
