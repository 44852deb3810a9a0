using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

/// <summary>
/// Layer normalisation over the features of each sample:
/// <c>y_ij = γ_j · (x_ij − μ_i) / √(σ²_i + ε) + β_j</c>, where <c>μ_i</c> and <c>σ²_i</c> are the mean and the biased
/// variance (divided by n, the number of features) of sample i, ε = 1e-5, and γ (starting at 1) and β (starting at 0)
/// are learnt per feature.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// It computes the same in training and inference mode, as PyTorch's <c>nn.LayerNorm</c>. Backward, with
/// <c>x̂ = (x − μ)/√(σ² + ε)</c> and <c>g = dY ⊙ γ</c>, per sample:
/// <c>dX = (g − mean_j(g) − x̂ · mean_j(g ⊙ x̂)) / √(σ² + ε)</c>; <c>dγ += Σ_samples dY ⊙ x̂</c>, <c>dβ += Σ_samples dY</c>.
/// Weight decay leaves γ and β alone (<see cref="Parameter{T}.Decays"/> is false).
/// </para>
/// <para>
/// Registered as <c>layer_normalization</c>, with the configuration <c>features</c> and <c>epsilon</c>; parameters
/// <c>gamma</c> and <c>beta</c>, 1 × features. ONNX export writes the <c>LayerNormalization</c> operator (opset 17).
/// </para>
/// </remarks>
public sealed class LayerNormalization<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The ε PyTorch uses by default.</summary>
    public const double DefaultEpsilon = 1e-5;

    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<Buffers> _buffers;
    private readonly T _epsilon;
    private Buffers? _last;

    /// <summary>Creates a layer normalisation with γ = 1 and β = 0.</summary>
    /// <param name="features">The number of features, positive.</param>
    /// <param name="epsilon">Added to the variance before the square root: positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive, or <paramref name="epsilon"/> is not positive and finite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public LayerNormalization(int features, double epsilon = DefaultEpsilon)
    {
        Guard.Precision<T>();
        Guard.Positive(features, nameof(features));
        Guard.PositiveFinite(epsilon, nameof(epsilon));
        Epsilon = epsilon;
        _epsilon = T.CreateChecked(epsilon);
        Gamma = new Parameter<T>("gamma", 1, features, decays: false);
        Beta = new Parameter<T>("beta", 1, features, decays: false);
        Gamma.Values.Fill(T.One);
        _parameters = [Gamma, Beta];
        _buffers = new BufferCache<Buffers>(rows => new Buffers(rows, features));
    }

    /// <summary>The scale γ, 1 × features.</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>The shift β, 1 × features.</summary>
    public Parameter<T> Beta { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "layer_normalization";

    /// <inheritdoc/>
    public override int InputSize => Gamma.Value.ColumnCount;

    /// <inheritdoc/>
    public override int OutputSize => InputSize;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override ComponentConfig GetConfig() => new ComponentConfig().Set("features", InputSize).Set("epsilon", Epsilon);

    /// <inheritdoc/>
    public override string ToString() => $"LayerNormalization({InputSize})";

    /// <summary>Rebuilds a layer from <see cref="GetConfig"/>'s configuration (the registered factory).</summary>
    internal static LayerNormalization<T> FromConfig(ComponentConfig config)
        => new(config.GetInt32("features"), config.GetDouble("epsilon", DefaultEpsilon));

    /// <inheritdoc/>
    protected internal override void InferCore(Matrix<T> input, Matrix<T> output) => Normalize(input, output, null, null);

    /// <inheritdoc/>
    protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
    {
        Buffers buffers = _buffers.Get(input.RowCount);
        Normalize(input, buffers.Output, buffers.Normalized, buffers.InverseDeviation);
        _last = buffers;
        return buffers.Output;
    }

    /// <inheritdoc/>
    protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
    {
        Buffers b = _last!;
        int rows = outputGradient.RowCount;
        int n = InputSize;
        ReadOnlySpan<T> dy = Storage.Of(outputGradient);
        ReadOnlySpan<T> xhat = Storage.Of(b.Normalized);
        ReadOnlySpan<T> gamma = Gamma.Values;
        if (computeInputGradient)
        {
            Span<T> dx = Storage.Of(b.InputGradient);
            T count = T.CreateChecked(n);
            for (int i = 0; i < rows; i++)
            {
                T sumG = T.Zero;
                T sumGx = T.Zero;
                for (int j = 0; j < n; j++)
                {
                    T g = dy[(j * rows) + i] * gamma[j];
                    sumG += g;
                    sumGx += g * xhat[(j * rows) + i];
                }

                T meanG = sumG / count;
                T meanGx = sumGx / count;
                for (int j = 0; j < n; j++)
                {
                    int k = (j * rows) + i;
                    dx[k] = ((dy[k] * gamma[j]) - meanG - (xhat[k] * meanGx)) * b.InverseDeviation[i];
                }
            }
        }

        // γ's and β's gradients after the last read of γ: a fused step changes γ as its gradient is added.
        for (int j = 0; j < n; j++)
        {
            T dGamma = T.Zero;
            T dBeta = T.Zero;
            for (int i = 0; i < rows; i++)
            {
                dGamma += dy[(j * rows) + i] * xhat[(j * rows) + i];
                dBeta += dy[(j * rows) + i];
            }

            b.GammaGradient[j] = dGamma;
            b.BetaGradient[j] = dBeta;
        }

        Gamma.AddGradient(b.GammaGradient);
        Beta.AddGradient(b.BetaGradient);
        return computeInputGradient ? b.InputGradient : null;
    }

    /// <summary>Y = γ ⊙ x̂ + β per sample, optionally keeping x̂ and 1/√(σ² + ε) for the backward pass.</summary>
    private void Normalize(Matrix<T> input, Matrix<T> output, Matrix<T>? normalized, T[]? inverseDeviation)
    {
        int rows = input.RowCount;
        int n = InputSize;
        T count = T.CreateChecked(n);
        ReadOnlySpan<T> x = Storage.Of(input);
        Span<T> y = Storage.Of(output);
        Span<T> xhat = normalized is null ? default : Storage.Of(normalized);
        ReadOnlySpan<T> gamma = Gamma.Values;
        ReadOnlySpan<T> beta = Beta.Values;
        for (int i = 0; i < rows; i++)
        {
            T sum = T.Zero;
            for (int j = 0; j < n; j++)
            {
                sum += x[(j * rows) + i];
            }

            T mean = sum / count;
            T squares = T.Zero;
            for (int j = 0; j < n; j++)
            {
                T d = x[(j * rows) + i] - mean;
                squares += d * d;
            }

            T inverse = T.One / T.Sqrt((squares / count) + _epsilon);
            for (int j = 0; j < n; j++)
            {
                int k = (j * rows) + i;
                T h = (x[k] - mean) * inverse;
                if (normalized is not null)
                {
                    xhat[k] = h;
                }

                y[k] = (gamma[j] * h) + beta[j];
            }

            if (inverseDeviation is not null)
            {
                inverseDeviation[i] = inverse;
            }
        }
    }

    /// <summary>The training buffers for one batch size.</summary>
    private sealed class Buffers(int rows, int features)
    {
        public Matrix<T> Output { get; } = Storage.NewDense<T>(rows, features);

        public Matrix<T> Normalized { get; } = Storage.NewDense<T>(rows, features);

        public T[] InverseDeviation { get; } = new T[rows];

        public Matrix<T> InputGradient { get; } = Storage.NewDense<T>(rows, features);

        public T[] GammaGradient { get; } = new T[features];

        public T[] BetaGradient { get; } = new T[features];
    }
}
