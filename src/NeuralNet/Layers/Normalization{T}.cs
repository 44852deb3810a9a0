using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Input normalisation that belongs to the network: <c>Y = (X − mean) / std</c> per feature, with statistics fixed
/// when the layer is made (fitted on training data by a <see cref="Data.StandardScaler{T}"/> or
/// <see cref="Data.MinMaxScaler{T}"/>, or given), so a saved or exported network takes raw features.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// It has no trainable parameters: training leaves the statistics as they are. Backward, given <c>dY</c>:
/// <c>dX = dY / std</c>. A standard deviation of 0 (a constant feature) is kept as 1, as <see cref="Data.StandardScaler{T}"/>
/// and scikit-learn do, so such a feature is only centred. Min-max scaling <c>(x − min) / (max − min)</c> is the same
/// map with mean = minimum and std = range.
/// </para>
/// <para>
/// The arithmetic is the scalers' own, in <typeparamref name="T"/>: a network starting with this layer predicts, bit for
/// bit, what the same network without it predicts on the scaler's <c>Transform</c> of the features. Registered as
/// <c>normalization</c>, with the configuration <c>mean</c> and <c>standard_deviation</c> (lists of numbers, the
/// statistics in use); ONNX export writes it as <c>Sub</c> then <c>Div</c> at the graph's input.
/// </para>
/// </remarks>
public sealed class Normalization<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly T[] _scale;
    private readonly BufferCache<Buffers> _buffers;

    /// <summary>Creates a normalisation layer from per-feature statistics (copied).</summary>
    /// <param name="mean">What to subtract from each feature: at least one value, all finite.</param>
    /// <param name="standardDeviation">What to divide each feature by after: as many values as <paramref name="mean"/>, finite and at least 0 (0 is kept as 1).</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">No means, a different number of standard deviations, a value that is not finite, or a negative standard deviation.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Normalization(IReadOnlyList<T> mean, IReadOnlyList<T> standardDeviation)
    {
        Guard.Precision<T>();
        (_mean, _scale) = Data.ScalerStatistics.Check(mean, standardDeviation, "Normalization", "mean", "standard deviation", nameof(mean), nameof(standardDeviation));
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, _mean.Length));
    }

    /// <summary>The per-feature values subtracted.</summary>
    public IReadOnlyList<T> Mean => _mean;

    /// <summary>The per-feature values divided by (1 where 0 was given).</summary>
    public IReadOnlyList<T> StandardDeviation => _scale;

    /// <inheritdoc/>
    public override string Name => "normalization";

    /// <inheritdoc/>
    public override int InputSize => _mean.Length;

    /// <inheritdoc/>
    public override int OutputSize => _mean.Length;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("mean", Doubles(_mean))
        .Set("standard_deviation", Doubles(_scale));

    /// <inheritdoc/>
    public override string ToString() => $"Normalization({InputSize})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static Normalization<T> FromConfig(ComponentConfig config)
    {
        // A float network's statistics are floats widened to double in the configuration, so they narrow back exactly.
        T[] mean = [.. config.GetDoubles("mean").Select(T.CreateChecked)];
        T[] scale = [.. config.GetDoubles("standard_deviation").Select(T.CreateChecked)];
        return new Normalization<T>(mean, scale);
    }

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output) => Normalize(input, output);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers buffers = _buffers.Get(input.RowCount);
        Normalize(input, buffers.Output);
        return buffers.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            // First in the network, as it usually is: nothing upstream wants dX, and there is nothing to train.
            return null;
        }

        int rows = outputGradient.RowCount;
        Matrix<T> dx = _buffers.Get(rows).InputGradient(_mean.Length);
        ReadOnlySpan<T> dy = Storage.Of(outputGradient);
        Span<T> to = Storage.Of(dx);
        for (int j = 0; j < _scale.Length; j++)
        {
            TensorPrimitives.Divide(dy.Slice(j * rows, rows), _scale[j], to.Slice(j * rows, rows));
        }

        return dx;
    }

    private static double[] Doubles(T[] values) => [.. values.Select(double.CreateChecked)];

    /// <summary>(x − mean) / std, column by column (column-major keeps a feature contiguous).</summary>
    private void Normalize(Matrix<T> input, Matrix<T> output)
    {
        int rows = input.RowCount;
        ReadOnlySpan<T> from = Storage.Of(input);
        Span<T> to = Storage.Of(output);
        for (int j = 0; j < _mean.Length; j++)
        {
            Span<T> column = to.Slice(j * rows, rows);
            TensorPrimitives.Subtract(from.Slice(j * rows, rows), _mean[j], column);
            TensorPrimitives.Divide(column, _scale[j], column);
        }
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, int features)
    {
        private Matrix<T>? _dx;

        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, features);

        /// <summary>dL/dX, made at the first backward pass that asks for it: a first layer never does.</summary>
        public Matrix<T> InputGradient(int inputs) => _dx ??= Storage.NewDense<T>(rows, inputs);
    }
}
