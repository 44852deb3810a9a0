namespace NeuralNet.Diagnostics;

/// <summary>The result of comparing one layer's backpropagated gradients with finite differences.</summary>
/// <param name="Layer">The layer's index, input first.</param>
/// <param name="Description">The layer, such as <c>Dense(784→128, relu)</c>.</param>
/// <param name="EntriesChecked">How many parameter entries were compared.</param>
/// <param name="MaxRelativeError">
/// The largest <c>|b − n| / max(|b| + |n|, 1e-4)</c> over the entries, with b the backpropagated and n the
/// central-difference derivative.
/// </param>
public sealed record LayerGradientCheck(int Layer, string Description, int EntriesChecked, double MaxRelativeError);
