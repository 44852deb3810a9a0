using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Internal;
using NeuralNet.Layers;

namespace NeuralNet.Diagnostics;

/// <summary>
/// Numerical health checks a user can run on their own network and data: a gradient check of backpropagation
/// against finite differences, the size of each parameter's gradient, and a count of dead and saturated units.
/// </summary>
public static class NetworkHealth
{
    /// <summary>
    /// Compares the network's backpropagated gradients with central finite differences of its loss, layer by layer,
    /// on a float64 copy of the network (float32 differences are too coarse to judge), both in training mode with one
    /// seeded generator (a dropout mask stays fixed; batch normalisation uses the batch's statistics). The network is not changed.
    /// </summary>
    /// <param name="network">The network to check.</param>
    /// <param name="inputs">Samples × inputs, finite; a few dozen samples are plenty.</param>
    /// <param name="targets">Samples × outputs, finite.</param>
    /// <param name="entriesPerParameter">How many entries of each weight and bias matrix to check, drawn with <paramref name="seed"/>; all when a matrix is smaller.</param>
    /// <param name="seed">Chooses the entries.</param>
    /// <returns>The per-layer report.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network or is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entriesPerParameter"/> is not positive.</exception>
    public static GradientCheckReport CheckGradients<T>(Network<T> network, Matrix<T> inputs, Matrix<T> targets, int entriesPerParameter = 32, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Guard.Positive(entriesPerParameter, nameof(entriesPerParameter));
        (Network<double> copy, Matrix<double> x, Matrix<double> y) = BackpropagatedCopy(network, inputs, targets);

        // Each training-mode loss below runs a backward pass too, which rewrites the gradients: keep them first.
        Dictionary<Parameter<double>, double[]> gradients = copy.Parameters.ToDictionary(p => p, p => p.Gradient.ToColumnMajorArray());
        var random = new RandomSource(seed);
        var layers = new List<LayerGradientCheck>();
        for (int l = 0; l < copy.Layers.Count; l++)
        {
            int checkedEntries = 0;
            double worst = 0;
            foreach (Parameter<double> parameter in copy.Layers[l].Parameters)
            {
                double[] analytic = gradients[parameter];
                Span<double> values = parameter.Values;
                foreach (int k in Entries(parameter.Length, entriesPerParameter, random))
                {
                    double original = values[k];
                    double step = 1e-6 * Math.Max(1, Math.Abs(original));
                    values[k] = original + step;
                    double up = TrainingLoss(copy, x, y);
                    values[k] = original - step;
                    double down = TrainingLoss(copy, x, y);
                    values[k] = original;
                    double numeric = (up - down) / (2 * step);
                    // The floor keeps round-off in tiny derivatives (about 1e-10 for a 1e-6 step) from reading as large relative errors.
                    worst = Math.Max(worst, Math.Abs(analytic[k] - numeric) / Math.Max(Math.Abs(analytic[k]) + Math.Abs(numeric), 1e-4));
                    checkedEntries++;
                }
            }

            if (checkedEntries > 0)
            {
                layers.Add(new LayerGradientCheck(l, network.Layers[l].ToString() ?? "layer", checkedEntries, worst));
            }
        }

        return new GradientCheckReport(layers);
    }

    /// <summary>
    /// Measures the Frobenius norm of every parameter's gradient on a batch, layer by layer. Norms that shrink by orders
    /// of magnitude from the last layer to the first mean a vanishing gradient: the early layers barely learn.
    /// </summary>
    /// <remarks>
    /// The gradients are those <see cref="Network{T}.Backpropagate"/> computes, of the batch-mean loss: for a dense
    /// layer the weights' norm is <c>‖Xᵀ·dZ‖</c>, with the 1/m inside dZ. They are computed on a float64 copy rebuilt
    /// from the component registry, so the network's gradients, and the generator its training-mode layers draw from,
    /// are left as they were.
    /// </remarks>
    /// <param name="network">The network to measure.</param>
    /// <param name="inputs">Samples × inputs, finite.</param>
    /// <param name="targets">Samples × outputs, finite.</param>
    /// <returns>One entry per parameter, input layer first and in each layer's own order (a dense layer's weights, then its biases).</returns>
    /// <exception cref="ArgumentException">The data does not fit the network or is not finite, or a layer's type is not registered.</exception>
    public static IReadOnlyList<ParameterGradientNorm> MeasureGradientNorms<T>(Network<T> network, Matrix<T> inputs, Matrix<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Network<double> copy = BackpropagatedCopy(network, inputs, targets).Copy;

        var norms = new List<ParameterGradientNorm>();
        for (int l = 0; l < copy.Layers.Count; l++)
        {
            foreach (Parameter<double> parameter in copy.Layers[l].Parameters)
            {
                norms.Add(new ParameterGradientNorm(l, network.Layers[l].ToString() ?? "layer", parameter.Name, parameter.Gradient.FrobeniusNorm()));
            }
        }

        return norms;
    }

    /// <summary>
    /// Counts, per layer, the units its activation judges dead (passing no gradient for any sample, such as a ReLU
    /// whose input was never positive) or saturated (near a bound of its output for every sample, such as a sigmoid
    /// below 0.01 or above 0.99), on a batch run in inference mode.
    /// </summary>
    /// <param name="network">The network to inspect; it is not changed.</param>
    /// <param name="inputs">Samples × inputs.</param>
    /// <returns>One entry per layer, input first; a layer without an activation reports none of either.</returns>
    /// <exception cref="ArgumentException">The inputs do not fit the network.</exception>
    public static IReadOnlyList<LayerActivationHealth> InspectActivations<T>(Network<T> network, Matrix<T> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Guard.NotEmpty(inputs, nameof(inputs));
        Guard.Columns(inputs, network.InputSize, network.Describe(), nameof(inputs));
        var report = new List<LayerActivationHealth>();
        Matrix<T> current = Storage.Dense(inputs);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Layer<T> layer = network.Layers[l];
            Matrix<T> output = layer.Infer(current);
            ReadOnlySpan<T> values = Storage.Of(output);
            int rows = output.RowCount;
            int dead = 0;
            int saturated = 0;
            for (int j = 0; j < output.ColumnCount && layer.Activation is { } activation; j++)
            {
                UnitState state = activation.InspectUnit(values.Slice(j * rows, rows));
                dead += state == UnitState.Dead ? 1 : 0;
                saturated += state == UnitState.Saturated ? 1 : 0;
            }

            report.Add(new LayerActivationHealth(l, layer.ToString() ?? layer.Name, output.ColumnCount, dead, saturated));
            current = output;
        }

        return report;
    }

    /// <summary>
    /// After checking the data (present, finite), a float64 copy of the network whose gradients hold one backward pass
    /// on it, with the data in float64; the network itself is not touched.
    /// </summary>
    private static (Network<double> Copy, Matrix<double> X, Matrix<double> Y) BackpropagatedCopy<T>(Network<T> network, Matrix<T> inputs, Matrix<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NotEmpty(inputs, nameof(inputs));
        Guard.Finite(inputs, nameof(inputs));
        Guard.NotEmpty(targets, nameof(targets));
        Guard.Finite(targets, nameof(targets));
        Network<double> copy = InDouble(network);
        Matrix<double> x = inputs.Map(double.CreateChecked);
        Matrix<double> y = targets.Map(double.CreateChecked);
        NetworkStructure.CheckData(copy, x, y);
        TrainingLoss(copy, x, y);
        return (copy, x, y);
    }

    /// <summary>
    /// The training-mode loss, with gradients: the mode backpropagation differentiates. Every call draws from a
    /// generator seeded alike, so a dropout layer keeps one mask across the finite differences, and batch
    /// normalisation uses the batch's statistics as its backward pass assumes.
    /// </summary>
    private static double TrainingLoss(Network<double> copy, Matrix<double> x, Matrix<double> y)
        => copy.BackpropagateCore(Storage.Dense(x), Storage.Dense(y), new TrainingContext(new RandomSource(0)));

    /// <summary>A float64 copy of the network: each layer rebuilt from its registered name and configuration, with the same parameter values.</summary>
    private static Network<double> InDouble<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<Layer<double>>();
        foreach (Layer<T> layer in network.Layers)
        {
            if (!ComponentRegistry.Layers.IsRegistered(layer.Name))
            {
                throw new ArgumentException($"The gradient check rebuilds each layer in float64 from its registered type, but {layer} is of type '{layer.Name}', which is not registered; register it with ComponentRegistry.Layers.", nameof(network));
            }

            Layer<double> copy = ComponentRegistry.Layers.Create<double>(layer.Name, layer.GetConfig());
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                Parameter<double> target = copy.Parameters.Single(p => p.Name == parameter.Name);
                Copy<T>(parameter.Values, target.Values);
            }

            layers.Add(copy);
        }

        return new Network<double>(layers, network.Loss);
    }

    private static void Copy<T>(ReadOnlySpan<T> from, Span<double> to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < from.Length; i++)
        {
            to[i] = double.CreateChecked(from[i]);
        }
    }

    /// <summary>All entries when there are few, otherwise <paramref name="count"/> distinct ones drawn at random.</summary>
    private static IEnumerable<int> Entries(int length, int count, RandomSource random)
    {
        if (length <= count)
        {
            return Enumerable.Range(0, length);
        }

        int[] all = [.. Enumerable.Range(0, length)];
        random.Shuffle(all);
        return all.Take(count);
    }
}
