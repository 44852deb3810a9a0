namespace NeuralNet.Diagnostics;

/// <summary>Per-layer agreement between backpropagation and finite differences on the caller's network and data.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<LayerGradientCheck> layers) => Layers = layers;

    /// <summary>One entry per layer with parameters, input first.</summary>
    public IReadOnlyList<LayerGradientCheck> Layers { get; }

    /// <summary>The largest relative error over all layers.</summary>
    public double MaxRelativeError => Layers.Count == 0 ? 0 : Layers.Max(layer => layer.MaxRelativeError);

    /// <summary>Whether every layer's largest relative error is below <paramref name="tolerance"/>.</summary>
    /// <param name="tolerance">The accepted relative error; 1e-5 suits the float64 check this report comes from.</param>
    /// <returns>True when backpropagation agrees with finite differences everywhere checked.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is not a positive finite number.</exception>
    public bool Passed(double tolerance = 1e-5)
    {
        Internal.Guard.PositiveFinite(tolerance, nameof(tolerance));
        return MaxRelativeError < tolerance;
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Join(Environment.NewLine, Layers.Select(l => FormattableString.Invariant($"layer {l.Layer} {l.Description}: {l.EntriesChecked} entries, max relative error {l.MaxRelativeError:E2}")));
}
