using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Losses;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>
/// A loss of the user's own that is not fused: mean squared error on the raw output (½·Σ(z − y)² per sample), with
/// predictions passed through a sigmoid. The built-in losses with an output function are all fused.
/// </summary>
internal sealed class SigmoidPredictionLoss : Loss
{
    public const string RegisteredName = "onnx_tests.sigmoid_prediction";

    private static readonly Lock Registration = new();

    public override string Name => RegisteredName;

    public override Activation OutputActivation => Activation.Sigmoid;

    /// <summary>Registers the loss once, so a model that records it can restore it.</summary>
    public static SigmoidPredictionLoss Registered()
    {
        lock (Registration)
        {
            if (!ComponentRegistry.Losses.IsRegistered(RegisteredName))
            {
                ComponentRegistry.Losses.Register(RegisteredName, _ => new SigmoidPredictionLoss());
            }
        }

        return new SigmoidPredictionLoss();
    }

    protected override T Value<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows)
    {
        T sum = T.Zero;
        for (int i = 0; i < output.Length; i++)
        {
            sum += (output[i] - target[i]) * (output[i] - target[i]);
        }

        return sum / T.CreateChecked(2 * rows);
    }

    protected override T ValueAndGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows)
    {
        for (int i = 0; i < output.Length; i++)
        {
            gradient[i] = (output[i] - target[i]) / T.CreateChecked(rows);
        }

        return Value(output, target, rows);
    }
}
