namespace NeuralNet.Activations;

/// <summary>How a unit behaved on a batch, as its activation judges it (see <see cref="Activation.InspectUnit{T}"/>).</summary>
public enum UnitState
{
    /// <summary>The unit passes gradient for some samples.</summary>
    Active,

    /// <summary>The unit passes no gradient for any sample (a ReLU whose input was never positive).</summary>
    Dead,

    /// <summary>The unit sits near a bound of its output for every sample, where its gradient nearly vanishes.</summary>
    Saturated,
}
