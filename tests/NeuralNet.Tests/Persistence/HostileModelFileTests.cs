using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
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
        var outcomes = new Dictionary<string, Dictionary<string, int>>();
        long largestAllocation = 0;
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
            catch (ModelFormatException e)
            {
                outcome = Classify(e.Message);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            largestAllocation = Math.Max(largestAllocation, allocated);

            // Reading copies the content a few times (the stream, the buffer, the values); nothing may scale with
            // sizes the file merely claims.
            allocated.Should().BeLessThan((16L * variant.Length) + (64 * 1024), "variant {0} ({1}, {2} bytes) must not allocate beyond its length", v, kind, variant.Length);
            Dictionary<string, int> ofKind = outcomes.TryGetValue(kind, out Dictionary<string, int>? existing) ? existing : outcomes[kind] = [];
            ofKind[outcome] = ofKind.GetValueOrDefault(outcome) + 1;
        }

        clock.Stop();
        output.WriteLine($"{Variants} variants of {originals.Length} files in {clock.Elapsed.TotalSeconds:F1} s; largest allocation {largestAllocation} bytes");
        foreach ((string kind, Dictionary<string, int> counts) in outcomes.OrderBy(pair => pair.Key))
        {
            output.WriteLine($"  {kind}: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
        }

        outcomes.Values.Sum(counts => counts.Values.Sum()).Should().Be(Variants);

        // Unhashed damage never loads: the checksum or the header check stops it before anything is interpreted.
        outcomes["bit flips"].Keys.Should().BeSubsetOf(["checksum", "header"]);
        outcomes["truncation"].Keys.Should().BeSubsetOf(["checksum", "header"]);
        outcomes["wrong version"].Keys.Should().Equal("header");
        outcomes["random bytes"].Keys.Should().BeSubsetOf(["header"]);

        // Damage with a recomputed checksum gets past it: the structural checks alone must stop what cannot load,
        // and each of these kinds really exercises them.
        foreach (string rehashed in new[] { "inflated field", "rehashed body change", "unregistered name", "bad value type" })
        {
            outcomes[rehashed].Should().NotContainKey("checksum", because: $"{rehashed} variants carry a valid checksum");
            outcomes[rehashed].GetValueOrDefault("structure").Should().BePositive(because: $"some {rehashed} variants must be rejected by a structural check");
        }

        outcomes["unregistered name"].Keys.Should().Equal("structure");
        outcomes["bad value type"].Keys.Should().Equal("structure");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "the fuzz run is bounded");
    }

    [Fact]
    public void A_file_whose_checksum_is_recomputed_after_inflating_a_dimension_is_still_rejected_without_a_large_allocation()
    {
        // A hostile writer can fix up the checksum; then the size checks against the bytes present must hold alone.
        byte[] model = Originals().First();
        byte[] forged = (byte[])model.Clone();
        BitConverter.GetBytes(1 << 24).CopyTo(forged, ModelBytes.After(forged, "weights"));
        ModelBytes.Rehash(forged);
        Action load = () => Network.Load<double>(new MemoryStream(forged));

        // The first throw of an exception type loads its resources; measure a second, warmed-up load.
        load.Should().Throw<ModelFormatException>().WithMessage("*weights needs * bytes, but only * remain*");
        AllocatedByFailedLoad(forged).Should().BeLessThan((16L * forged.Length) + (64 * 1024), "the claimed 2^24 × 4 weights must never be allocated");
    }

    [Fact]
    public void A_configuration_claiming_a_huge_layer_is_refused_before_the_layer_allocates()
    {
        // The layer's configuration says 2^24 units while the file holds the original small weights: the layer's
        // factory may not allocate more parameter values than the file holds for it.
        byte[] model = Originals().First();
        byte[] forged = (byte[])model.Clone();
        int units = ModelBytes.After(forged, "units");
        forged[units].Should().Be(2, "'units' is stored as a whole number (tag 2)");
        BitConverter.GetBytes((long)(1 << 24)).CopyTo(forged, units + 1);
        ModelBytes.Rehash(forged);
        Action load = () => Network.Load<double>(new MemoryStream(forged));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 ('dense') cannot be built*file holds only*");
        AllocatedByFailedLoad(forged).Should().BeLessThan((16L * forged.Length) + (64 * 1024), "the claimed 3 × 2^24 weights must never be allocated");
    }

    private static IEnumerable<byte[]> Originals()
    {
        var random = new Random(3);
        Matrix<double> x = Matrix<double>.Build.Dense(12, 3, (_, _) => random.NextDouble());
        int[] labels = TestData.Interleaved(12, 2);
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
                    : TestData.OneHot(labels, network.OutputSize);
                network.Fit(x, targets, new TrainingOptions { Epochs = 2, UpdateRule = new Adam(), Checkpoint = new CheckpointOptions(path), EarlyStopping = new EarlyStopping(5) });
                yield return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// One mutation, chosen in turn: bit flips, truncations, inflated fields, wrong versions, random bytes, random
    /// changes with the checksum recomputed, a component name nobody registered, a configuration value of an
    /// unknown type.
    /// </summary>
    private static (string Kind, byte[] Variant) Mutate(Random random, byte[] original, int index)
    {
        byte[] variant = (byte[])original.Clone();
        switch (index % 8)
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
                ModelBytes.Rehash(variant);
                return ("inflated field", variant);
            case 3:
                BitConverter.GetBytes(random.Next(2) == 0 ? random.Next(4, 1000) : -random.Next(0, 1000)).CopyTo(variant, 8);
                return ("wrong version", variant);
            case 4:
                byte[] noise = new byte[random.Next(0, 2048)];
                random.NextBytes(noise);
                if (noise.Length >= 8 && random.Next(2) == 0)
                {
                    "NEURALNT"u8.CopyTo(noise);
                }

                return ("random bytes", noise);
            case 5:
                // Valid checksum over random changes to the body: only the structural checks stand in the way.
                for (int changes = 1 + random.Next(8); changes > 0; changes--)
                {
                    variant[13 + random.Next(variant.Length - 45)] = (byte)random.Next(256);
                }

                ModelBytes.Rehash(variant);
                return ("rehashed body change", variant);
            case 6:
                // A component or layer type renamed to a name of the same length that nobody registered.
                string[] names = ["dense", "tanh", "sigmoid", "leaky_relu", "softmax", "identity", "adam", "zeros", "glorot_uniform", "he_uniform", "softmax_cross_entropy", "mean_squared_error", "sigmoid_binary_cross_entropy"];
                string[] present = [.. names.Where(n => ModelBytes.Find(variant, n) >= 0)];
                string renamed = present[random.Next(present.Length)];
                "xyzzy_unknown_component_name_of_any_length"u8[..renamed.Length].CopyTo(variant.AsSpan(ModelBytes.Find(variant, renamed) + 1));
                ModelBytes.Rehash(variant);
                return ("unregistered name", variant);
            default:
                // A configuration entry's type tag replaced by one the format does not define.
                string[] keys = ["inputs", "units", "activation", "weight_initializer", "bias_initializer", "slope"];
                string[] found = [.. keys.Where(k => ModelBytes.Find(variant, k) >= 0)];
                variant[ModelBytes.After(variant, found[random.Next(found.Length)])] = (byte)random.Next(10, 256);
                ModelBytes.Rehash(variant);
                return ("bad value type", variant);
        }
    }

    /// <summary>
    /// The bytes a second, warmed-up load of <paramref name="file"/> allocates on this thread before it throws, measured
    /// around the load alone (an assertion library's own allocations would blur the figure).
    /// </summary>
    private static long AllocatedByFailedLoad(byte[] file)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Network.Load<double>(new MemoryStream(file));
        }
        catch (ModelFormatException)
        {
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        throw new InvalidOperationException("the forged file loaded");
    }

    /// <summary>What stopped a file: its checksum, its header (magic, version, precision), or a structural check.</summary>
    private static string Classify(string message)
        => message.Contains("checksum", StringComparison.Ordinal) ? "checksum"
            : message.Contains("Expected a NeuralNet model file", StringComparison.Ordinal) || message.Contains("format version", StringComparison.Ordinal) ? "header"
            : "structure";

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
