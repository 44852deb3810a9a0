using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Stops a run whose numbers blow up, leaving the network as it was at the start of the epoch in which they did:
/// a non-finite loss is caught at its step, and weights that an update overflowed while the loss was still finite
/// are caught at the end of the epoch, before the epoch is validated, recorded or checkpointed.
/// </summary>
internal sealed class DivergenceGuard<T>(Network<T> network)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<Parameter<T>> _parameters = network.Parameters;
    private T[][]? _epochStart;

    /// <summary>A likely cause of divergence seen in the data (unscaled values), added to the exception's message; null for none.</summary>
    public string? Hint { get; set; }

    /// <summary>Copies the weights at the start of an epoch, the point a diverging run falls back to.</summary>
    public void RememberEpochStart()
    {
        _epochStart ??= [.. _parameters.Select(p => new T[p.Length])];
        for (int p = 0; p < _parameters.Count; p++)
        {
            _parameters[p].Values.CopyTo(_epochStart[p]);
        }
    }

    /// <summary>Throws, with the epoch's starting weights restored, when a step's loss is not finite.</summary>
    public void CheckLoss(T loss, int epoch, int step)
    {
        if (T.IsFinite(loss))
        {
            return;
        }

        int layer = FirstNonFiniteLayer();
        Restore();
        throw TrainingDivergedException.NonFiniteLoss(epoch, step, layer, network.Layers[layer].ToString() ?? "layer", double.CreateChecked(loss), Hint);
    }

    /// <summary>Throws, with the epoch's starting weights restored, when any weight is not finite after the epoch's updates.</summary>
    public void CheckWeights(int epoch, int steps)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (Parameter<T> parameter in network.Layers[l].Parameters)
            {
                foreach (T value in parameter.Values)
                {
                    if (!T.IsFinite(value))
                    {
                        Restore();
                        throw TrainingDivergedException.NonFiniteWeights(epoch, steps, l, network.Layers[l].ToString() ?? "layer", Hint);
                    }
                }
            }
        }
    }

    /// <summary>The index of the first layer whose last training output held a non-finite value, or the last layer.</summary>
    private int FirstNonFiniteLayer()
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (!network.Layers[l].LastOutputIsFinite)
            {
                return l;
            }
        }

        return network.Layers.Count - 1;
    }

    private void Restore()
    {
        if (_epochStart is null)
        {
            return;
        }

        for (int p = 0; p < _parameters.Count; p++)
        {
            _epochStart[p].CopyTo(_parameters[p].Values);
        }
    }
}
