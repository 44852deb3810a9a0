namespace NeuralNet.Diagnostics;

/// <summary>How a layer's units behaved on a batch.</summary>
/// <param name="Layer">The layer's index, input first.</param>
/// <param name="Description">The layer, such as <c>Dense(784→128, relu)</c>.</param>
/// <param name="Units">The layer's number of units.</param>
/// <param name="DeadUnits">
/// Units that passed no gradient for any sample: ReLU units whose input was ≤ 0 for every sample (a leaky ReLU with a
/// positive slope still passes <c>slope·da</c>, so it is never dead).
/// </param>
/// <param name="SaturatedUnits">Sigmoid or tanh units within 1% of a bound (σ &lt; 0.01 or &gt; 0.99, |tanh| &gt; 0.99) for every sample: their gradient vanishes.</param>
public sealed record LayerActivationHealth(int Layer, string Description, int Units, int DeadUnits, int SaturatedUnits);
