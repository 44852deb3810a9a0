using System.Diagnostics;
using System.Security.Cryptography;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Training;
using NeuralNet.UpdateRules;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Fuzzing the loaders: mutated models and checkpoints either load into a consistent network or throw
/// ModelFormatException — never another exception, never a hang, never an allocation the file's length cannot justify.
/// </summary>
public class HostileModelFileTests(ITestOutputHelper output)
{
    private const int Variants = 12_000;

    [Fact]
    public void Ten_thousand_mutated_files_load_or_throw_the_documented_exception()
    {
        var random = new Random(20261129);
        byte[][] originals = [.. Originals()];
        var outcomes = new Dictionary<string, int>();
        long largestAllocation = 0;
        long largestRatio = 0;
        var clock = Stopwatch.StartNew();

        for (int v = 0; v < Variants; v++)
        {
            byte[] original = originals[v % originals.Length];
            (string kind, byte[] variant) = Mutate(random, original, v);
            long before = GC.GetAllocatedBytesForCurrentThread();
            string outcome;
            try
            {
                if (v % 2 == 0)
                {
                    Network<double> network = Network.Load<double>(new MemoryStream(variant));
                    CheckInvariants(network);
                }
                else
                {
                    TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(new MemoryStream(variant));
                    CheckInvariants(checkpoint.Network);
                }

                outcome = "loaded";
            }
            catch (ModelFormatException)
            {
                outcome = nameof(ModelFormatException);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            largestAllocation = Math.Max(largestAllocation, allocated);

            // Reading copies the content a few times (the stream, the buffer, the values); nothing may scale with
            // sizes the file merely claims.
            long ratio = allocated / Math.Max(variant.Length, 1);
            largestRatio = Math.Max(largestRatio, ratio);
            allocated.Should().BeLessThan((16L * variant.Length) + (64 * 1024), "variant {0} ({1}, {2} bytes) must not allocate beyond its length", v, kind, variant.Length);
            string key = $"{kind}: {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        clock.Stop();
        output.WriteLine($"{Variants} variants of {originals.Length} files in {clock.Elapsed.TotalSeconds:F1} s; largest allocation {largestAllocation} bytes");
        foreach ((string key, int count) in outcomes.OrderBy(pair => pair.Key))
        {
            output.WriteLine($"  {key}: {count}");
        }

        outcomes.Values.Sum().Should().Be(Variants);
        outcomes.Keys.Should().Contain(key => key.EndsWith(nameof(ModelFormatException), StringComparison.Ordinal));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "the fuzz run is bounded");
    }

    [Fact]
    public void A_file_whose_checksum_is_recomputed_after_inflating_a_dimension_is_still_rejected_without_a_large_allocation()
    {
        // A hostile writer can fix up the checksum; then the size checks against the bytes present must hold alone.
        byte[] model = Originals().First();
        int layerCountOffset = FindLayerCount(model);
        byte[] forged = (byte[])model.Clone();
        BitConverter.GetBytes(1 << 24).CopyTo(forged, layerCountOffset + 4 + 1 + "dense".Length + 4);
        Rehash(forged);
        Action load = () => Network.Load<double>(new MemoryStream(forged));

        // The first throw of an exception type loads its resources; measure a second, warmed-up load.
        load.Should().Throw<ModelFormatException>().WithMessage("*weights needs * bytes, but only * remain*");
        long before = GC.GetAllocatedBytesForCurrentThread();
        load.Should().Throw<ModelFormatException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan((16L * forged.Length) + (64 * 1024), "the claimed 3 × 2^24 weights must never be allocated");
    }

    private static IEnumerable<byte[]> Originals()
    {
        var random = new Random(3);
        Matrix<double> x = Matrix<double>.Build.Dense(12, 3, (_, _) => random.NextDouble());
        int[] labels = [.. Enumerable.Range(0, 12).Select(i => i % 2)];
        Network<double>[] networks =
        [
            Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 1),
            Network.Sequential<double>(3).Dense(5, Activation.LeakyRelu(0.2)).Dense(3, Activation.Sigmoid).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 2),
            Network.Sequential<double>(3).Dense(2, Activation.Softmax).Build(Loss.MeanSquaredError, seed: 3),
        ];
        foreach (Network<double> network in networks)
        {
            using var stream = new MemoryStream();
            network.Save(stream);
            yield return stream.ToArray();

            string path = Path.Combine(Path.GetTempPath(), $"neuralnet-fuzz-{Guid.NewGuid():N}.ckpt");
            try
            {
                Matrix<double> targets = network.OutputSize == 1
                    ? Matrix<double>.Build.Dense(12, 1, (i, _) => labels[i])
                    : Matrix<double>.Build.Dense(12, network.OutputSize, (i, j) => labels[i] == j ? 1 : 0);
                network.Fit(x, targets, new TrainingOptions { Epochs = 2, UpdateRule = new Adam(), Checkpoint = new CheckpointOptions(path), EarlyStopping = new EarlyStopping(5) });
                yield return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>One mutation, chosen in turn: bit flips, truncations, inflated fields, wrong versions, random bytes.</summary>
    private static (string Kind, byte[] Variant) Mutate(Random random, byte[] original, int index)
    {
        byte[] variant = (byte[])original.Clone();
        switch (index % 6)
        {
            case 0:
                for (int flips = 1 + random.Next(4); flips > 0; flips--)
                {
                    int position = random.Next(variant.Length);
                    variant[position] ^= (byte)(1 << random.Next(8));
                }

                return ("bit flips", variant);
            case 1:
                // Every length class: empty, inside the header, inside the body, just short of the checksum.
                int[] cuts = [0, 1, 7, 8, 12, 13, 20, variant.Length / 2, variant.Length - 33, variant.Length - 1];
                return ("truncation", variant[..Math.Max(0, Math.Min(variant.Length, index / 6 % 2 == 0 ? cuts[random.Next(cuts.Length)] : random.Next(variant.Length)))]);
            case 2:
                // A huge count or dimension at a random int32 field position, checksum recomputed so it is believed.
                int at = 13 + (random.Next((variant.Length - 50) / 4) * 4);
                BitConverter.GetBytes(random.Next(2) == 0 ? int.MaxValue : random.Next(1 << 20, int.MaxValue)).CopyTo(variant, Math.Min(at, variant.Length - 36));
                Rehash(variant);
                return ("inflated field", variant);
            case 3:
                BitConverter.GetBytes(random.Next(2, 1000)).CopyTo(variant, 8);
                return ("wrong version", variant);
            case 4:
                byte[] noise = new byte[random.Next(0, 2048)];
                random.NextBytes(noise);
                if (noise.Length >= 8 && random.Next(2) == 0)
                {
                    "NEURALNT"u8.CopyTo(noise);
                }

                return ("random bytes", noise);
            default:
                // Valid checksum over random changes to the body: only the structural checks stand in the way.
                for (int changes = 1 + random.Next(8); changes > 0; changes--)
                {
                    variant[13 + random.Next(variant.Length - 45)] = (byte)random.Next(256);
                }

                Rehash(variant);
                return ("rehashed body change", variant);
        }
    }

    private static void Rehash(byte[] file)
    {
        if (file.Length >= 32)
        {
            SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
        }
    }

    private static int FindLayerCount(byte[] model)
    {
        // magic(8) version(4) kind(1) library version(text) precision(1) loss(text), then the layer count.
        int offset = 13;
        offset += 1 + model[offset];
        offset += 1;
        offset += 1 + model[offset];
        return offset;
    }

    /// <summary>A loaded network must be usable: sizes chain and a prediction has the promised shape.</summary>
    private static void CheckInvariants(Network<double> network)
    {
        for (int l = 1; l < network.Layers.Count; l++)
        {
            network.Layers[l].InputSize.Should().Be(network.Layers[l - 1].OutputSize);
        }

        Matrix<double> prediction = network.Predict(Matrix<double>.Build.Dense(2, network.InputSize));
        prediction.RowCount.Should().Be(2);
        prediction.ColumnCount.Should().Be(network.OutputSize);
    }
}
