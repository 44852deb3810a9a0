namespace NeuralNet.Diagnostics;

/// <summary>The size of one parameter's gradient on a batch: how strongly the loss pulls on it.</summary>
/// <param name="Layer">The layer's index, input first.</param>
/// <param name="Description">The layer, such as <c>Dense(784→128, relu)</c>.</param>
/// <param name="Parameter">The parameter's name within its layer, such as <c>weights</c> or <c>biases</c>.</param>
/// <param name="Norm">The Frobenius norm of the gradient, <c>√(Σ (dL/dθ)²)</c> over the parameter's entries.</param>
public sealed record ParameterGradientNorm(int Layer, string Description, string Parameter, double Norm);
