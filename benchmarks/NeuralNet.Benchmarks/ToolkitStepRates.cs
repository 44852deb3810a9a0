using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <see cref="ToolkitStepBenchmarks"/>'s three steps timed side by side in one process, alternating over rounds, so the
/// load of a shared machine falls on all three alike: the median time per step of each, its ratio to the plain Dense
/// step, and the bytes each step allocates on the calling thread.
/// Run with <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --toolkit-steps [rounds]</c>.
/// </summary>
internal static class ToolkitStepRates
{
    private const int StepsPerRound = 200;

    public static void Compare(int rounds)
    {
        MatrixBackend.ThreadCount = 1;
        Console.WriteLine($"Backend {MatrixBackend.Current.Name}, {MatrixBackend.ThreadCount} thread; {rounds} rounds of {StepsPerRound} steps per case, cases alternating.");
        Console.WriteLine("batch | case | median µs per step | ratio to Dense | bytes per step");
        foreach (int batch in new[] { 32, 128 })
        {
            Measure(batch, rounds);
        }
    }

    private static void Measure(int batch, int rounds)
    {
        (string Name, Network<float> Network)[] cases =
        [
            ("Dense", Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1)),
            ("WithDropout", Network.Sequential(784).Dense(128, Activation.Relu).Dropout(0.3).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1)),
            ("WithBatchNormalization", Network.Sequential(784).Dense(128, Activation.Relu).BatchNormalization().Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1)),
        ];
        Trainer<float>[] trainers = [.. cases.Select(c => FitStepper.Create(new Plain(), c.Network))];
        var random = new Random(1);
        Matrix<float> inputs = Matrix<float>.Build.Dense(batch, 784, (_, _) => (float)random.NextDouble());
        Matrix<float> targets = Matrix<float>.Build.Dense(batch, 10);
        for (int i = 0; i < batch; i++)
        {
            targets[i, random.Next(10)] = 1;
        }

        // Warm-up: buffers made, code jitted, before anything is counted.
        foreach (Trainer<float> trainer in trainers)
        {
            Run(trainer, inputs, targets);
        }

        var times = cases.Select(_ => new List<double>(rounds)).ToArray();
        long[] bytes = new long[cases.Length];
        for (int round = 0; round < rounds; round++)
        {
            // A different case first each round, so none always follows the same one.
            for (int k = 0; k < cases.Length; k++)
            {
                int c = (round + k) % cases.Length;
                long before = GC.GetAllocatedBytesForCurrentThread();
                times[c].Add(Run(trainers[c], inputs, targets));
                bytes[c] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        double baseline = Median(times[0]);
        for (int c = 0; c < cases.Length; c++)
        {
            double median = Median(times[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batch} | {cases[c].Name} | {median:F1} | {median / baseline:F2} | {(double)bytes[c] / (rounds * StepsPerRound):G3}"));
        }
    }

    /// <summary>The mean time of one step over <see cref="StepsPerRound"/> steps, in microseconds.</summary>
    private static double Run(Trainer<float> trainer, Matrix<float> inputs, Matrix<float> targets)
    {
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < StepsPerRound; s++)
        {
            trainer.Step(inputs, targets);
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / StepsPerRound;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
