namespace NeuralNet.Diagnostics;

/// <summary>How a layer's units behaved on a batch.</summary>
/// <param name="Layer">The layer's index, input first.</param>
/// <param name="Description">The layer, such as <c>Dense(784→128, relu)</c>.</param>
/// <param name="Units">The layer's number of units.</param>
/// <param name="DeadUnits">ReLU units (leaky ReLU included) whose pre-activation was ≤ 0 for every sample: they pass no gradient.</param>
/// <param name="SaturatedUnits">Sigmoid or tanh units within 1% of a bound (σ &lt; 0.01 or &gt; 0.99, |tanh| &gt; 0.99) for every sample: their gradient vanishes.</param>
public sealed record LayerActivationHealth(int Layer, string Description, int Units, int DeadUnits, int SaturatedUnits);
