using System.Numerics;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The largest absolute difference between NeuralNet and PyTorch's committed values for each component, on the
/// fixtures' own inputs, in each precision the fixtures hold; the same computations the unit tests bound (which use
/// <c>|Δ| / max(1, |PyTorch|)</c>), here as plain <c>|Δ|</c>. Update rules and clipping are in <see cref="ComponentStepComparison"/>.
/// </summary>
internal sealed class ComponentTorchComparison(PyTorchFixtures fixtures, List<string> notes)
{
    /// <summary>Not in the fixtures: layers and losses were written in float64 only.</summary>
    private const string NoFixture = "–";

    /// <summary>Cells for an activation over every fixture record made with it (ELU has three α).</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) ForActivation(string component, params (string Record, Activation Activation)[] records)
    {
        var result = new double[4];
        foreach ((string record, Activation activation) in records)
        {
            (double value64, double slope64) = CompareActivation<double>(activation, fixtures.Activations["float64"]![record]!);
            (double value32, double slope32) = CompareActivation<float>(activation, fixtures.Activations["float32"]![record]!);
            if (records.Length > 1)
            {
                notes.Add($"{component}, record `{record}`: float64 value {Format(value64)}, derivative {Format(slope64)}; float32 value {Format(value32)}, derivative {Format(slope32)}.");
            }

            result = [Math.Max(result[0], value64), Math.Max(result[1], slope64), Math.Max(result[2], value32), Math.Max(result[3], slope32)];
        }

        return (Format(result[0]), Format(result[1]), Format(result[2]), Format(result[3]));
    }

    /// <summary>Cells for a loss: its value and its gradient with respect to the output, over the listed records.</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) ForLoss(string component, params (string Record, Loss Loss, Matrix<double> Target, double Divisor)[] records)
    {
        double worstValue = 0;
        double worstGradient = 0;
        foreach ((string name, Loss loss, Matrix<double> target, double divisor) in records)
        {
            JsonNode record = fixtures.Losses[name]!;
            Matrix<double> z = PyTorchFixtures.Matrix(record["output"]!);
            double value = Math.Abs(loss.Compute(z, target) - (record["value"]!.GetValue<double>() / divisor));
            double gradient = Largest(loss.Gradient(z, target), PyTorchFixtures.Matrix(record["gradient"]!) / divisor);
            if (records.Length > 1)
            {
                notes.Add($"{component}, record `{name}`: value {Format(value)}, gradient {Format(gradient)}.");
            }

            worstValue = Math.Max(worstValue, value);
            worstGradient = Math.Max(worstGradient, gradient);
        }

        return (Format(worstValue), Format(worstGradient), NoFixture, NoFixture);
    }

    /// <summary>The record of a loss's fixture target, as a matrix.</summary>
    public Matrix<double> LossTarget(string record, string key = "target") => PyTorchFixtures.Matrix(fixtures.Losses[record]![key]!);

    /// <summary>
    /// Dropout on the fixture's batch with the fixture's mask: the layer draws its own mask, so its generator is seeded
    /// with the first seed whose draws give exactly that mask, and every entry is compared.
    /// </summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) Dropout()
    {
        JsonNode fixture = fixtures.Layers["dropout"]!;
        Matrix<double> keep = PyTorchFixtures.Matrix(fixture["keep"]!);
        double rate = fixture["rate"]!.GetValue<double>();
        Matrix<double> x = LayerInput("input");
        var layer = new Dropout<double>(x.ColumnCount, rate);
        long seed = SeedDrawing(keep, rate);

        Matrix<double> y = layer.Forward(x, new TrainingContext(new RandomSource(seed))).Clone();
        Matrix<double> dx = layer.Backward(LayerInput("upstream"));

        // The batch holds zeros, so the mask is read from a batch of ones: the same draws, kept entries nonzero.
        Matrix<double> mask = new Dropout<double>(x.ColumnCount, rate).Forward(Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, 1.0), new TrainingContext(new RandomSource(seed)));
        int differing = mask.Enumerate().Zip(keep.Enumerate()).Count(p => (p.First != 0) != (p.Second != 0));
        if (differing != 0)
        {
            throw new InvalidOperationException($"Expected the dropout layer seeded {seed} to draw the fixture's mask, but {differing} of its entries differ.");
        }

        notes.Add($"Dropout vs PyTorch: all {keep.RowCount * keep.ColumnCount} entries compared; the layer's generator is seeded {seed}, the first seed whose draws give the fixture's mask (DropoutTests instead compares the entries both masks keep).");
        return (Format(Largest(y, PyTorchFixtures.Matrix(fixture["output"]!))), Format(Largest(dx, PyTorchFixtures.Matrix(fixture["input_gradient"]!))), NoFixture, NoFixture);
    }

    /// <summary>Layer normalisation: training-mode output and gradients (input, γ, β), and the inference-mode output.</summary>
    public (string DoubleValue, string DoubleGradient, string FloatValue, string FloatGradient) LayerNormalization()
    {
        var layer = new LayerNormalization<double>(4);
        SetAffine(layer.Gamma, layer.Beta);
        JsonNode training = fixtures.Layers["layer_normalization"]!;
        double trainingValue = Largest(layer.Forward(LayerInput("input")).Clone(), PyTorchFixtures.Matrix(training["output"]!));
        double gradient = Gradients(layer.Backward(LayerInput("upstream")), layer.Gamma, layer.Beta, training);
        double inferenceValue = Largest(layer.Infer(LayerInput("input")), PyTorchFixtures.Matrix(fixtures.Layers["layer_normalization_inference"]!["output"]!));

        notes.Add($"LayerNormalization vs PyTorch: output in training mode {Format(trainingValue)}, in inference mode {Format(inferenceValue)}.");
        return (Format(Math.Max(trainingValue, inferenceValue)), Format(gradient), NoFixture, NoFixture);
    }

    /// <summary>
    /// Batch normalisation as BatchNormalizationTests runs it: a training pass on the fixture's batch (output and
    /// gradients), a second on its second batch (running statistics), then inference with the running statistics.
    /// </summary>
    public ((string, string, string, string) Training, (string, string, string, string) Inference) BatchNormalization()
    {
        var layer = new BatchNormalization<double>(4);
        SetAffine(layer.Gamma, layer.Beta);
        JsonNode training = fixtures.Layers["batch_normalization_training"]!;
        JsonNode running = fixtures.Layers["batch_normalization_running"]!;
        double output = Largest(layer.Forward(LayerInput("input")).Clone(), PyTorchFixtures.Matrix(training["output"]!));
        double gradient = Gradients(layer.Backward(LayerInput("upstream")), layer.Gamma, layer.Beta, training);

        layer.Forward(LayerInput("second_input"));
        double statistics = Math.Max(
            Largest(Matrix<double>.Build.DenseOfRowArrays(layer.RunningMean.ToArray()), PyTorchFixtures.Row(running["running_mean"]!)),
            Largest(Matrix<double>.Build.DenseOfRowArrays(layer.RunningVariance.ToArray()), PyTorchFixtures.Row(running["running_variance"]!)));
        double inference = Largest(layer.Infer(LayerInput("input")), PyTorchFixtures.Matrix(fixtures.Layers["batch_normalization_inference"]!["output"]!));

        notes.Add($"BatchNormalization (training) vs PyTorch: output {Format(output)}, running mean and variance after the second batch {Format(statistics)} (in the value cell).");
        notes.Add("BatchNormalization (inference): NeuralNet backpropagates only in training mode, so the fixture's inference-mode gradients have no counterpart (n/a).");
        return (
            (Format(Math.Max(output, statistics)), Format(gradient), NoFixture, NoFixture),
            (Format(inference), "n/a", NoFixture, NoFixture));
    }

    /// <summary>A difference as printed: 0 exactly, otherwise two significant digits.</summary>
    public static string Format(double value) =>
        value == 0 ? "0" : value.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The first seed from 0 whose <see cref="RandomSource"/> draws the mask <paramref name="keep"/> (column by column,
    /// kept where the draw is at least <paramref name="rate"/>), as <see cref="Dropout{T}"/> draws it.
    /// </summary>
    private static long SeedDrawing(Matrix<double> keep, double rate)
    {
        // A 5 × 4 mask at rate 0.4 comes up about once in 700,000 seeds; most seeds fail within two draws.
        const long Limit = 100_000_000;
        double[] kept = keep.ToColumnMajorArray();
        for (long seed = 0; seed < Limit; seed++)
        {
            var random = new RandomSource(seed);
            int k = 0;
            while (k < kept.Length && (random.NextDouble() >= rate) == (kept[k] != 0))
            {
                k++;
            }

            if (k == kept.Length)
            {
                return seed;
            }
        }

        throw new InvalidOperationException($"Expected a seed below {Limit} that draws the fixture's dropout mask, but found none.");
    }

    private static (double Value, double Derivative) CompareActivation<T>(Activation activation, JsonNode record)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] input = PyTorchFixtures.Vector(record["input"]!);
        Matrix<T> z = Matrix<T>.Build.Dense(1, input.Length, (_, j) => T.CreateChecked(input[j]));
        Matrix<T> a = activation.Apply(z);
        Matrix<T> slope = activation.Derivative(z, Matrix<T>.Build.Dense(1, input.Length, T.One));
        return (Largest(a, PyTorchFixtures.Row(record["value"]!)), Largest(slope, PyTorchFixtures.Row(record["derivative"]!)));
    }

    /// <summary>The largest difference of dX, dγ and dβ from a normalisation record.</summary>
    private static double Gradients(Matrix<double> dx, Parameter<double> gamma, Parameter<double> beta, JsonNode record) => Math.Max(
        Largest(dx, PyTorchFixtures.Matrix(record["input_gradient"]!)),
        Math.Max(Largest(gamma.Gradient, PyTorchFixtures.Row(record["gamma_gradient"]!)), Largest(beta.Gradient, PyTorchFixtures.Row(record["beta_gradient"]!))));

    private void SetAffine(Parameter<double> gamma, Parameter<double> beta)
    {
        PyTorchFixtures.Row(fixtures.Layers["gamma"]!).CopyTo(gamma.Value);
        PyTorchFixtures.Row(fixtures.Layers["beta"]!).CopyTo(beta.Value);
    }

    private Matrix<double> LayerInput(string key) => PyTorchFixtures.Matrix(fixtures.Layers[key]!);

    /// <summary>Copies a fixture matrix into a matrix of the same shape, rounding to <typeparamref name="T"/>.</summary>
    public static void Copy<T>(Matrix<double> from, Matrix<T> to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(to.RowCount, to.ColumnCount, from);
        for (int r = 0; r < from.RowCount; r++)
        {
            for (int c = 0; c < from.ColumnCount; c++)
            {
                to[r, c] = T.CreateChecked(from[r, c]);
            }
        }
    }

    /// <summary>The largest <c>|actual − expected|</c> over two matrices of one shape.</summary>
    public static double Largest<T>(Matrix<T> actual, Matrix<double> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(actual.RowCount, actual.ColumnCount, expected);
        double worst = 0;
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                worst = Math.Max(worst, Math.Abs(double.CreateChecked(actual[r, c]) - expected[r, c]));
            }
        }

        return worst;
    }

    private static void Check(int rows, int columns, Matrix<double> fixture)
    {
        if (rows != fixture.RowCount || columns != fixture.ColumnCount)
        {
            throw new InvalidDataException($"Expected a {rows}×{columns} fixture matrix, but the fixture holds {fixture.RowCount}×{fixture.ColumnCount}.");
        }
    }
}
