using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.UpdateRules;

/// <summary>
/// Gradient clipping as PyTorch's <c>torch.nn.utils</c> does it, applied to the gradients of a step before any
/// weight decay is added and before the update rule sees them.
/// </summary>
internal static class GradientClipping
{
    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c>: with <c>N = √(Σ_p Σ_i g²)</c> over all parameters together, multiplies every
    /// gradient by <c>c = maxNorm / (N + 10⁻⁶)</c> when <c>c &lt; 1</c>, and leaves them as they are otherwise.
    /// </summary>
    /// <returns>The total norm N before clipping.</returns>
    /// <remarks>The sum of squares is accumulated in double for float parameters too; PyTorch sums in the tensor's type.</remarks>
    public static double ByNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (Parameter<T> parameter in parameters)
        {
            foreach (T g in parameter.Gradients)
            {
                double d = double.CreateChecked(g);
                sum += d * d;
            }
        }

        double norm = Math.Sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            T scale = T.CreateChecked(coefficient);
            foreach (Parameter<T> parameter in parameters)
            {
                TensorPrimitives.Multiply(parameter.Gradients, scale, parameter.Gradients);
            }
        }

        return norm;
    }

    /// <summary>PyTorch's <c>clip_grad_value_</c>: clamps every gradient element into <c>[−clipValue, clipValue]</c>.</summary>
    public static void ByValue<T>(IReadOnlyList<Parameter<T>> parameters, double clipValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T high = T.CreateChecked(clipValue);
        T low = -high;
        foreach (Parameter<T> parameter in parameters)
        {
            Span<T> gradients = parameter.Gradients;
            TensorPrimitives.Min(gradients, high, gradients);
            TensorPrimitives.Max(gradients, low, gradients);
        }
    }
}
