using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Backends;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// The test assembly's entry point, for tests that need a fresh process: how NeuralNet loads a native library depends
/// on the environment at that moment, and happens once per process. <c>dotnet exec NeuralNet.Tests.dll probe …</c>
/// prints <c>key=value</c> lines that <see cref="ProbeProcess"/> reads back.
/// </summary>
/// <remarks>
/// Modes: <c>describe</c> (the default backend's and OpenBLAS's descriptions and the native <c>OPENBLAS_CORETYPE</c>
/// after loading), with <c>--managed-env VALUE</c> to set the variable through .NET first, or <c>--preload</c> to load
/// libopenblas before NeuralNet does; <c>current</c> (the default backend's description, and whether choosing it loaded
/// libopenblas); <c>train</c> (a short training on OpenBLAS at 2 threads, then a hash of the
/// network's predictions); <c>timing</c> (how long the first use took, and the check alone once warm, for people
/// measuring it: no test reads times).
/// </remarks>
internal static class BackendProbe
{
    private static int Main(string[] args)
    {
        if (args is not ["probe", string mode, .. string[] options])
        {
            // Run as a test assembly (by the test host), this entry point is never called.
            return 0;
        }

        if (options is ["--managed-env", string value])
        {
            Environment.SetEnvironmentVariable(OpenBlasKernel.Variable, value);
        }
        else if (options is ["--preload"])
        {
            NativeLibrary.Load("libopenblas.so.0");
        }

        if (mode == "current")
        {
            // Only the default backend: is OpenBLAS loaded to choose it?
            Console.WriteLine($"current={MatrixBackend.Current.Description}");
            Console.WriteLine($"loaded={NativeEnvironment.AlreadyLoaded("libopenblas.so.0") != 0}");
            return 0;
        }

        var clock = Stopwatch.StartNew();
        MatrixBackend? openBlas = MatrixBackend.OpenBlas;
        Console.WriteLine($"first-use-ms={clock.Elapsed.TotalMilliseconds:F1}");
        if (mode == "timing" && openBlas is not null)
        {
            clock.Restart();
            string? again = NativeProof.Disagreement(openBlas);
            Console.WriteLine($"proof-again-ms={clock.Elapsed.TotalMilliseconds:F1} {again ?? "agrees"}");
        }

        Console.WriteLine($"current={MatrixBackend.Current.Description}");
        Console.WriteLine($"openblas={openBlas?.Description ?? "null"}");
        Console.WriteLine($"env={NativeEnvironment.Get(OpenBlasKernel.Variable) ?? "(unset)"}");
        if (mode == "train")
        {
            Console.WriteLine($"predictions={TrainAndHash(openBlas ?? throw new InvalidOperationException("OpenBLAS is not available."))}");
        }

        return 0;
    }

    /// <summary>
    /// Trains a 784 → 128 → 10 network for two epochs at batch 128 (products large enough to be split across the two
    /// threads) on <paramref name="backend"/> and returns the SHA-256 of its predictions' bits.
    /// </summary>
    internal static string TrainAndHash(MatrixBackend backend)
    {
        MatrixBackend previous = MatrixBackend.Current;
        int threads = MatrixBackend.ThreadCount;
        try
        {
            MatrixBackend.Current = backend;
            MatrixBackend.ThreadCount = 2;
            var random = new Random(11);
            Matrix<float> inputs = Matrix<float>.Build.Dense(512, 784, (_, _) => (float)random.NextDouble());
            int[] labels = [.. Enumerable.Range(0, 512).Select(_ => random.Next(10))];
            Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 7);
            network.Fit(inputs, labels, new TrainingOptions { Epochs = 2, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(128), Seed = 7 });
            float[] predictions = network.Predict(inputs).ToColumnMajorArray();
            return Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(predictions.AsSpan())));
        }
        finally
        {
            MatrixBackend.Current = previous;
            MatrixBackend.ThreadCount = threads;
        }
    }
}
