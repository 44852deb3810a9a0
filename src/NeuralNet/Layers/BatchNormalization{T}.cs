using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Batch normalisation over each feature, as PyTorch's <c>nn.BatchNorm1d</c>:
/// <c>y_ij = γ_j · (x_ij − μ_j) / √(σ²_j + ε) + β_j</c>, with the batch's statistics in training mode and running
/// estimates in inference mode; ε = 1e-5, γ (starting at 1) and β (starting at 0) are learnt per feature.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Training mode normalises with the batch's mean <c>μ_j</c> and biased variance <c>σ²_j = Σ_i (x_ij − μ_j)² / m</c>
/// (m samples), and updates the running estimates with momentum 0.1:
/// <c>running_mean ← (1 − 0.1)·running_mean + 0.1·μ</c>, <c>running_var ← (1 − 0.1)·running_var + 0.1·σ²·m/(m − 1)</c>
/// (the unbiased variance). They start at 0 and 1. Inference mode uses them in place of μ and σ². A training batch of
/// one sample is refused, as PyTorch refuses it: its variance is 0 and the unbiased one undefined.
/// </para>
/// <para>
/// Backward (training mode), with <c>x̂ = (x − μ)/√(σ² + ε)</c> and <c>g = dY ⊙ γ</c>, per feature:
/// <c>dX = (g − mean_i(g) − x̂ · mean_i(g ⊙ x̂)) / √(σ² + ε)</c>; <c>dγ += Σ_i dY ⊙ x̂</c>, <c>dβ += Σ_i dY</c>. Weight decay
/// leaves γ and β alone (<see cref="Parameter{T}.Decays"/> is false).
/// </para>
/// <para>
/// Registered as <c>batch_normalization</c>, with the configuration <c>features</c>, <c>momentum</c>, <c>epsilon</c>,
/// <c>running_mean</c> and <c>running_variance</c>: the running statistics travel in the configuration, so saved
/// models and training checkpoints keep them. Parameters <c>gamma</c> and <c>beta</c>, 1 × features. ONNX export
/// writes the <c>BatchNormalization</c> operator with the running statistics.
/// </para>
/// </remarks>
public sealed class BatchNormalization<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The ε PyTorch uses by default.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>The momentum PyTorch uses by default.</summary>
    public const double DefaultMomentum = 0.1;

    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<Buffers> _buffers;
    private readonly T _epsilon;
    private readonly T _momentum;
    private readonly T[] _runningMean;
    private readonly T[] _runningVariance;
    private Buffers? _last;

    /// <summary>Creates a batch normalisation with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">The number of features, positive.</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in (0, 1].</param>
    /// <param name="epsilon">Added to the variance before the square root: positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public BatchNormalization(int features, double momentum = DefaultMomentum, double epsilon = DefaultEpsilon)
    {
        Guard.Precision<T>();
        Guard.Positive(features, nameof(features));
        if (!(momentum > 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, FormattableString.Invariant($"The batch normalisation momentum must be in (0, 1], but got {momentum}."));
        }

        Guard.PositiveFinite(epsilon, nameof(epsilon));
        Momentum = momentum;
        Epsilon = epsilon;
        _momentum = T.CreateChecked(momentum);
        _epsilon = T.CreateChecked(epsilon);
        Gamma = new Parameter<T>("gamma", 1, features, decays: false);
        Beta = new Parameter<T>("beta", 1, features, decays: false);
        Gamma.Values.Fill(T.One);
        _parameters = [Gamma, Beta];
        _runningMean = new T[features];
        _runningVariance = new T[features];
        _runningVariance.AsSpan().Fill(T.One);
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, features));
    }

    /// <summary>The scale γ, 1 × features.</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>The shift β, 1 × features.</summary>
    public Parameter<T> Beta { get; }

    /// <summary>The momentum of the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running mean per feature, used in inference mode.</summary>
    public IReadOnlyList<T> RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance per feature, used in inference mode.</summary>
    public IReadOnlyList<T> RunningVariance => _runningVariance;

    /// <inheritdoc/>
    public override string Name => "batch_normalization";

    /// <inheritdoc/>
    public override int InputSize => _runningMean.Length;

    /// <inheritdoc/>
    public override int OutputSize => InputSize;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig()
        .Set("features", InputSize)
        .Set("momentum", Momentum)
        .Set("epsilon", Epsilon)
        .Set("running_mean", Doubles(_runningMean))
        .Set("running_variance", Doubles(_runningVariance));

    /// <inheritdoc/>
    public override string ToString() => $"BatchNormalization({InputSize})";

    /// <summary>Rebuilds a layer, running statistics included, from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    /// <exception cref="ArgumentException">The running statistics are not one finite value per feature, or a variance is negative.</exception>
    internal static BatchNormalization<T> FromConfig(ComponentConfig config)
    {
        var layer = new BatchNormalization<T>(config.GetInt32("features"), config.GetDouble("momentum", DefaultMomentum), config.GetDouble("epsilon", DefaultEpsilon));
        if (config.Contains("running_mean"))
        {
            Fill(layer._runningMean, config.GetDoubles("running_mean"), "running_mean", allowNegative: true);
        }

        if (config.Contains("running_variance"))
        {
            Fill(layer._runningVariance, config.GetDoubles("running_variance"), "running_variance", allowNegative: false);
        }

        return layer;
    }

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
    {
        int rows = input.RowCount;
        ReadOnlySpan<T> x = Storage.Of(input);
        Span<T> y = Storage.Of(output);
        ReadOnlySpan<T> gamma = Gamma.Values;
        ReadOnlySpan<T> beta = Beta.Values;
        for (int j = 0; j < InputSize; j++)
        {
            T mean = _runningMean[j];
            T inverse = T.One / T.Sqrt(_runningVariance[j] + _epsilon);
            for (int k = j * rows; k < (j + 1) * rows; k++)
            {
                y[k] = (gamma[j] * ((x[k] - mean) * inverse)) + beta[j];
            }
        }
    }

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        int rows = input.RowCount;
        if (rows < 2)
        {
            throw new ArgumentException($"{this} in training mode needs at least 2 samples per batch to estimate a variance, but got 1; use batches of 2 or more samples.", nameof(input));
        }

        Buffers b = _buffers.Get(rows);
        T count = T.CreateChecked(rows);
        T unbias = count / T.CreateChecked(rows - 1);
        ReadOnlySpan<T> x = Storage.Of(input);
        Span<T> y = Storage.Of(b.Output);
        Span<T> xhat = Storage.Of(b.Normalized);
        ReadOnlySpan<T> gamma = Gamma.Values;
        ReadOnlySpan<T> beta = Beta.Values;
        T keep = T.One - _momentum;
        for (int j = 0; j < InputSize; j++)
        {
            ReadOnlySpan<T> column = x.Slice(j * rows, rows);
            T sum = T.Zero;
            foreach (T value in column)
            {
                sum += value;
            }

            T mean = sum / count;
            T squares = T.Zero;
            foreach (T value in column)
            {
                T d = value - mean;
                squares += d * d;
            }

            T variance = squares / count;
            T inverse = T.One / T.Sqrt(variance + _epsilon);
            for (int k = j * rows; k < (j + 1) * rows; k++)
            {
                T h = (x[k] - mean) * inverse;
                xhat[k] = h;
                y[k] = (gamma[j] * h) + beta[j];
            }

            b.InverseDeviation[j] = inverse;
            _runningMean[j] = (keep * _runningMean[j]) + (_momentum * mean);
            _runningVariance[j] = (keep * _runningVariance[j]) + (_momentum * variance * unbias);
        }

        _last = b;
        return b.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        Buffers b = _last!;
        int rows = outputGradient.RowCount;
        T count = T.CreateChecked(rows);
        ReadOnlySpan<T> dy = Storage.Of(outputGradient);
        ReadOnlySpan<T> xhat = Storage.Of(b.Normalized);
        ReadOnlySpan<T> gamma = Gamma.Values;
        Span<T> dx = computeInputGradient ? Storage.Of(b.InputGradient) : default;
        for (int j = 0; j < InputSize; j++)
        {
            T dGamma = T.Zero;
            T dBeta = T.Zero;
            for (int k = j * rows; k < (j + 1) * rows; k++)
            {
                dGamma += dy[k] * xhat[k];
                dBeta += dy[k];
            }

            if (computeInputGradient)
            {
                // mean(g) = γ·dβ/m and mean(g ⊙ x̂) = γ·dγ/m, with g = dY ⊙ γ.
                T meanG = gamma[j] * dBeta / count;
                T meanGx = gamma[j] * dGamma / count;
                for (int k = j * rows; k < (j + 1) * rows; k++)
                {
                    dx[k] = ((dy[k] * gamma[j]) - meanG - (xhat[k] * meanGx)) * b.InverseDeviation[j];
                }
            }

            b.GammaGradient[j] = dGamma;
            b.BetaGradient[j] = dBeta;
        }

        // After the last read of γ: a fused step changes γ as its gradient is added.
        Gamma.AddGradient(b.GammaGradient);
        Beta.AddGradient(b.BetaGradient);
        return computeInputGradient ? b.InputGradient : null;
    }

    private static double[] Doubles(T[] values) => [.. values.Select(double.CreateChecked)];

    private static void Fill(T[] target, double[] values, string key, bool allowNegative)
    {
        if (values.Length != target.Length)
        {
            throw new ArgumentException($"BatchNormalization({target.Length}) needs {target.Length} values for '{key}', but the configuration holds {values.Length}.", nameof(values));
        }

        for (int j = 0; j < values.Length; j++)
        {
            if (!double.IsFinite(values[j]) || (!allowNegative && values[j] < 0))
            {
                string expected = allowNegative ? "finite" : "finite and at least 0";
                throw new ArgumentException(FormattableString.Invariant($"BatchNormalization's '{key}' must be {expected}, but value {j} is {values[j]}."), nameof(values));
            }

            target[j] = T.CreateChecked(values[j]);
        }
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, int features)
    {
        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, features);

        public Matrix<T> Normalized { get; } = Storage.NewDense<T>(rows, features);

        public T[] InverseDeviation { get; } = new T[features];

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, features);

        public T[] GammaGradient { get; } = new T[features];

        public T[] BetaGradient { get; } = new T[features];
    }
}
