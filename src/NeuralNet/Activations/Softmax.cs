using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Softmax over each row: <c>a_j = e^(z_j − max z) / Σ_k e^(z_k − max z)</c>, a probability per class.
/// </summary>
/// <remarks>
/// Subtracting the row maximum keeps every exponent ≤ 0, so no logit overflows. The backward pass is the
/// Jacobian–vector product <c>dz_j = a_j (da_j − Σ_k a_k da_k)</c>. For classification, prefer an
/// <see cref="Identity"/> output with <see cref="Losses.SoftmaxCrossEntropy"/>, whose fused gradient is
/// simply <c>P − Y</c>.
/// </remarks>
public sealed class Softmax : Activation
{
    internal Softmax()
    {
    }

    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <inheritdoc/>
    protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => Rows(z, a, rows);

    /// <inheritdoc/>
    protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        int columns = a.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            T dot = T.Zero;
            for (int j = 0; j < columns; j++)
            {
                dot += a[(j * rows) + i] * da[(j * rows) + i];
            }

            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                dz[k] = a[k] * (da[k] - dot);
            }
        }
    }

    /// <summary>Row-wise stable softmax on column-major storage; shared with the fused loss.</summary>
    internal static void Rows<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = z.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            T max = T.NegativeInfinity;
            for (int j = 0; j < columns; j++)
            {
                max = T.Max(max, z[(j * rows) + i]);
            }

            T sum = T.Zero;
            for (int j = 0; j < columns; j++)
            {
                int k = (j * rows) + i;
                T e = T.Exp(z[k] - max);
                a[k] = e;
                sum += e;
            }

            T inverse = T.One / sum;
            for (int j = 0; j < columns; j++)
            {
                a[(j * rows) + i] *= inverse;
            }
        }
    }
}
