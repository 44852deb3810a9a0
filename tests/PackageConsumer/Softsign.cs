using System.Numerics;
using NeuralNet.Activations;

/// <summary>
/// An activation written in the user's own assembly, as a package user writes one: <c>z / (1 + |z|)</c>, with
/// derivative <c>1 / (1 + |z|)²</c>. Registered under <see cref="Name"/>, it saves and loads like a built-in.
/// </summary>
internal sealed class Softsign : Activation
{
    public override string Name => "consumer.softsign";

    protected override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = z[i] / (T.One + T.Abs(z[i]));
        }
    }

    protected override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            T d = T.One + T.Abs(z[i]);
            dz[i] = da[i] / (d * d);
        }
    }
}
