using CsCheck;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>Properties checked on many generated cases (CsCheck shrinks any failure to a small, seeded example).</summary>
public class PropertyTests
{
    private static readonly Activation[] Activations = [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu(0.1), Activation.Softmax];

    /// <summary>Layer sizes (1 to 4 layers of 1 to 6 units), an activation index per layer and a seed.</summary>
    private static readonly Gen<(int Inputs, int[] Units, int[] Activations, int Seed)> Architectures =
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6].Array[1, 4], Gen.Int[0, 5].Array[4], Gen.Int[0, 1000]);

    [Fact]
    public void Softmax_rows_lie_in_zero_to_one_and_sum_to_one_for_any_finite_logits()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Double[-1e4, 1e4].Array[1, 30]).Sample((rows, values) =>
        {
            int columns = Math.Max(1, values.Length / rows);
            Matrix<double> logits = Matrix<double>.Build.Dense(rows, columns, (i, j) => values[((i * columns) + j) % values.Length]);
            Matrix<double> p = Activation.Softmax.Apply(logits);
            for (int i = 0; i < rows; i++)
            {
                if (p.Row(i).Any(x => x < 0 || x > 1) || Math.Abs(p.Row(i).Sum() - 1) > 1e-12)
                {
                    return false;
                }
            }

            return true;
        }, iter: 500, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Save_then_load_is_the_identity_on_random_architectures_in_both_precisions()
    {
        Architectures.Sample(a =>
        {
            Network<double> doubles = Build<double>(a);
            Network<float> floats = Build<float>(a);
            Matrix<double> x = Matrix<double>.Build.Dense(3, a.Inputs, (i, j) => Math.Sin((7 * i) + j));

            return SameAfterRoundTrip(doubles, x) && SameAfterRoundTrip(floats, x.Map(v => (float)v));
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void The_gradient_check_passes_on_random_layer_sizes()
    {
        // Smooth activations only: finite differences across a ReLU kink are not a fair judge.
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 6].Array[1, 3], Gen.Int[0, 1000]).Sample((inputs, units, seed) =>
        {
            NetworkBuilder<double> builder = Network.Sequential<double>(inputs);
            foreach (int u in units)
            {
                builder.Dense(u, seed % 2 == 0 ? Activation.Tanh : Activation.Sigmoid);
            }

            Network<double> network = builder.Dense(3).Build(Loss.SoftmaxCrossEntropy, seed);
            var random = new Random(seed);
            Matrix<double> x = TestData.RandomMatrix(random, 4, inputs);
            Matrix<double> y = TestData.OneHot([.. Enumerable.Range(0, 4).Select(i => (i + seed) % 3)], 3);

            return NetworkHealth.CheckGradients(network, x, y, entriesPerParameter: 8, seed: seed).Passed(1e-5);
        }, iter: 60, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Predictions_do_not_depend_on_how_a_batch_is_split()
    {
        // Kernels may take different vector paths for different row positions, so the comparison allows for
        // rounding: 1e-12 relative in double.
        Gen.Select(Architectures, Gen.Int[1, 70], Gen.Int[1, 69]).Sample((a, rows, cut) =>
        {
            Network<double> network = Build<double>(a);
            Matrix<double> x = Matrix<double>.Build.Dense(rows, a.Inputs, (i, j) => Math.Cos((3 * i) + j));
            int split = Math.Min(cut, rows);
            Matrix<double> whole = network.Predict(x);
            Matrix<double> top = network.Predict(x.SubMatrix(0, split, 0, a.Inputs));
            Matrix<double>? bottom = split < rows ? network.Predict(x.SubMatrix(split, rows - split, 0, a.Inputs)) : null;
            for (int i = 0; i < rows; i++)
            {
                Vector<double> part = i < split ? top.Row(i) : bottom!.Row(i - split);
                if ((part - whole.Row(i)).AbsoluteMaximum() > 1e-12 * (1 + whole.Row(i).AbsoluteMaximum()))
                {
                    return false;
                }
            }

            return true;
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }

    private static Network<T> Build<T>((int Inputs, int[] Units, int[] Activations, int Seed) a)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network.Sequential<T>(a.Inputs);
        for (int l = 0; l < a.Units.Length; l++)
        {
            builder.Dense(a.Units[l], Activations[a.Activations[l]]);
        }

        // A linear head keeps every architecture valid for the fused loss.
        return builder.Dense(2).Build(Loss.SoftmaxCrossEntropy, a.Seed);
    }

    private static bool SameAfterRoundTrip<T>(Network<T> network, Matrix<T> x)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        Network<T> loaded = Network.Load<T>(stream);
        return loaded.Predict(x).ToColumnMajorArray().SequenceEqual(network.Predict(x).ToColumnMajorArray())
            && loaded.Layers.Select(l => l.ToString()).SequenceEqual(network.Layers.Select(l => l.ToString()));
    }
}
