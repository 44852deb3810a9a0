using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet;

/// <summary>
/// A trainable matrix of a layer (weights or biases) together with the gradient of the loss with respect to it.
/// The layer owns both; its backward pass adds into the gradient through the <c>AddGradient…</c> methods, and an
/// update rule reads the gradient and changes <see cref="Value"/>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Training may fuse a step into backpropagation: when the update rule's step for this parameter is exactly
/// <c>θ ← θ + s·g</c> (plain gradient descent, with no weight decay on it), the <c>AddGradient…</c> methods add
/// <c>s·g</c> straight into <see cref="Value"/> instead of storing <c>g</c>, one pass over the parameter instead of
/// three. A layer therefore adds a parameter's gradient only after it has read that parameter's values for the last
/// time in the backward pass (a dense layer computes <c>dX = dZ·Wᵀ</c> first). After such a training the gradient
/// holds zeros, not a stale value.
/// </para>
/// <para>Update-rule state (velocities, moments) lives outside, in <see cref="UpdateRules.ParameterUpdater{T}"/>, keyed by this object.</para>
/// </remarks>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private bool _fused;
    private T _fusedScale;
    private BufferCache<Matrix<T>>? _scaled;
    private int _scaledColumns;

    /// <summary>Creates a parameter of zeros, with a zero gradient.</summary>
    /// <param name="name">What the parameter is, such as <c>weights</c>; unique within its layer, which saves and loads it under this name.</param>
    /// <param name="rows">The number of rows, positive.</param>
    /// <param name="columns">The number of columns, positive.</param>
    /// <param name="decays">Whether L2 weight decay applies to it (weights) or not (biases).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or rows × columns is more values than a dense matrix holds.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Parameter(string name, int rows, int columns, bool decays = true)
    {
        if (!Components.ComponentConfig.IsValidKey(name))
        {
            throw new ArgumentException($"A parameter name must be 1 to 64 characters from A–Z, a–z, 0–9, '_', '.' and '-', but got '{name}'.", nameof(name));
        }

        Guard.Precision<T>();
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.MatrixSize(rows, columns, $"The parameter '{name}'", nameof(columns));
        AllocationBudget.Take((long)rows * columns);
        Name = name;
        Decays = decays;
        Value = Storage.NewDense<T>(rows, columns);
        Gradient = Storage.NewDense<T>(rows, columns);
    }

    /// <summary>A name that says what the parameter is, such as <c>weights</c> or <c>biases</c>.</summary>
    public string Name { get; }

    /// <summary>The current values. Its shape is fixed when the layer is created.</summary>
    public Matrix<T> Value { get; }

    /// <summary>+dL/dθ accumulated by the last backward pass: same shape as <see cref="Value"/>.</summary>
    public Matrix<T> Gradient { get; }

    /// <summary>The number of scalar values.</summary>
    public int Length => Value.RowCount * Value.ColumnCount;

    /// <summary>Whether L2 weight decay applies (weights) or not (biases).</summary>
    public bool Decays { get; }

    /// <summary>The values as a span over the matrix's own column-major storage.</summary>
    internal Span<T> Values => Storage.Of(Value);

    /// <summary>The gradient as a span over the matrix's own column-major storage.</summary>
    internal Span<T> Gradients => Storage.Of(Gradient);

    /// <summary>Whether the current step adds gradients straight into the values.</summary>
    internal bool IsFused => _fused;

    /// <summary>Sets every gradient entry to zero before a new backward pass (nothing to clear while a step is fused).</summary>
    public void ZeroGradient()
    {
        if (!_fused)
        {
            Gradients.Clear();
        }
    }

    /// <summary>Adds <paramref name="gradient"/> to the gradient, entry by entry.</summary>
    /// <param name="gradient">The values to add, column-major, <see cref="Length"/> of them.</param>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> has another length.</exception>
    public void AddGradient(ReadOnlySpan<T> gradient)
    {
        if (gradient.Length != Length)
        {
            throw new ArgumentException($"{this} expects {Length} gradient values but got {gradient.Length}.", nameof(gradient));
        }

        if (_fused)
        {
            TensorPrimitives.MultiplyAdd(gradient, _fusedScale, Values, Values);
        }
        else
        {
            TensorPrimitives.Add(Gradients, gradient, Gradients);
        }
    }

    /// <summary>Adds the product <c>op(A)·op(B)</c> to the gradient, where op transposes when asked (<c>dW += Xᵀ·dZ</c>).</summary>
    /// <param name="a">A dense matrix; op(A) has <see cref="Value"/>'s row count.</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="b">A dense matrix; op(B) has <see cref="Value"/>'s column count and op(A)'s column count as rows.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <exception cref="ArgumentException">The shapes do not give a product of this parameter's shape.</exception>
    public void AddGradientProduct(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int m = transposeA ? a.ColumnCount : a.RowCount;
        int k = transposeA ? a.RowCount : a.ColumnCount;
        int kb = transposeB ? b.ColumnCount : b.RowCount;
        int n = transposeB ? b.RowCount : b.ColumnCount;
        if (m != Value.RowCount || n != Value.ColumnCount || k != kb)
        {
            throw new ArgumentException($"{this} cannot take the product of a {m}×{k} and a {kb}×{n} matrix as its gradient.", nameof(b));
        }

        if (!_fused)
        {
            MatrixProduct.Multiply(Storage.Dense(a), transposeA, Storage.Dense(b), transposeB, Gradient, accumulate: true);
            return;
        }

        // θ += s·op(A)·op(B): the scale goes onto the smaller factor (dZ, for a dense layer's weights), a copy so
        // the caller's matrix is left as it was; the product then accumulates straight into the values.
        bool scaleA = a.RowCount * a.ColumnCount <= b.RowCount * b.ColumnCount;
        Matrix<T> small = scaleA ? a : b;
        Matrix<T> scaled = Scaled(small);
        MatrixProduct.Multiply(scaleA ? scaled : Storage.Dense(a), transposeA, scaleA ? Storage.Dense(b) : scaled, transposeB, Value, accumulate: true);
    }

    /// <summary>Adds each column's sum of <paramref name="matrix"/> to this 1 × columns gradient (<c>db += Σ_rows dZ</c>).</summary>
    /// <param name="matrix">A dense samples × <see cref="Value"/>-columns matrix.</param>
    /// <exception cref="ArgumentException">This parameter is not a single row, or the column counts differ.</exception>
    public void AddGradientColumnSums(Matrix<T> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (Value.RowCount != 1 || matrix.ColumnCount != Value.ColumnCount)
        {
            throw new ArgumentException($"{this} cannot take the column sums of a {matrix.RowCount}×{matrix.ColumnCount} matrix as its gradient.", nameof(matrix));
        }

        ReadOnlySpan<T> values = Storage.Read(matrix, out _);
        Span<T> target = _fused ? Values : Gradients;
        T scale = _fused ? _fusedScale : T.One;
        int rows = matrix.RowCount;
        for (int j = 0; j < target.Length; j++)
        {
            target[j] += scale * Reduce.Sum(values.Slice(j * rows, rows));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Value.RowCount}×{Value.ColumnCount})";

    /// <summary>Until <see cref="EndFusedStep"/>, gradients go into the values scaled by <paramref name="scale"/>.</summary>
    internal void BeginFusedStep(T scale)
    {
        _fused = true;
        _fusedScale = scale;
    }

    /// <summary>Gradients go into the gradient again.</summary>
    internal void EndFusedStep() => _fused = false;

    /// <summary><paramref name="matrix"/> times the fused scale, in a buffer kept per batch size so steps do not allocate.</summary>
    private Matrix<T> Scaled(Matrix<T> matrix)
    {
        if (_scaled is null || _scaledColumns != matrix.ColumnCount)
        {
            int columns = matrix.ColumnCount;
            _scaled = new BufferCache<Matrix<T>>(rows => Storage.NewDense<T>(rows, columns));
            _scaledColumns = columns;
        }

        Matrix<T> scaled = _scaled.Get(matrix.RowCount);
        TensorPrimitives.Multiply(Storage.Read(matrix, out _), _fusedScale, Storage.Of(scaled));
        return scaled;
    }
}
