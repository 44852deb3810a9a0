namespace NeuralNet.Benchmarks;

/// <summary>The three matrix products a dense layer does in one training step.</summary>
public enum Product
{
    /// <summary>Forward: <c>Z(B×out) = X(B×in)·W(in×out)</c>.</summary>
    Forward,

    /// <summary>Weight gradient: <c>dW(in×out) = Xᵀ·dZ(B×out)</c>, X stored B×in.</summary>
    WeightGradient,

    /// <summary>Input gradient: <c>dX(B×in) = dZ(B×out)·Wᵀ</c>, W stored in×out.</summary>
    InputGradient,
}

/// <summary>
/// One product <c>C(m×n) = op(A)·op(B)</c> in the terms of <see cref="Backends.MatrixBackend"/>'s
/// <c>Multiply(transposeA, transposeB, m, n, k, …)</c>.
/// </summary>
internal readonly record struct ProductShape(Product Product, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    /// <summary>Floating-point operations of the product: one multiply and one add per term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>The shape of <paramref name="product"/> for a dense layer <paramref name="inputs"/> → <paramref name="outputs"/> at <paramref name="batch"/> rows.</summary>
    public static ProductShape Of(Product product, int batch, int inputs, int outputs) => product switch
    {
        Product.Forward => new(product, false, false, batch, outputs, inputs),
        Product.WeightGradient => new(product, true, false, inputs, outputs, batch),
        Product.InputGradient => new(product, false, true, batch, inputs, outputs),
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, "Unknown product."),
    };

    /// <summary>The three products of a dense layer <paramref name="inputs"/> → <paramref name="outputs"/> at <paramref name="batch"/> rows.</summary>
    public static IEnumerable<ProductShape> OfLayer(int batch, int inputs, int outputs)
        => Enum.GetValues<Product>().Select(product => Of(product, batch, inputs, outputs));

    /// <summary>Rows and columns of A as stored (before op).</summary>
    public (int Rows, int Columns) AShape => TransposeA ? (K, M) : (M, K);

    /// <summary>Rows and columns of B as stored (before op).</summary>
    public (int Rows, int Columns) BShape => TransposeB ? (N, K) : (K, N);

    /// <inheritdoc/>
    public override string ToString()
        => $"{Product} {(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} m={M} n={N} k={K}";
}
