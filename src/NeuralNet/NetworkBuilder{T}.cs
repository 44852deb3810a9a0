using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

/// <summary>
/// Builds a <see cref="Network{T}"/> layer by layer, each new layer taking the previous one's output size
/// as its input size. Start with <see cref="Network.Sequential(int)"/>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>The builder records a description; every <see cref="Build"/> creates new layers, so two networks built from one builder share nothing.</remarks>
public sealed class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Func<Layer<T>>> _layers = [];

    internal NetworkBuilder(int inputs)
    {
        Guard.Precision<T>();
        Guard.Positive(inputs, nameof(inputs));
        CurrentSize = inputs;
    }

    /// <summary>The output size of the last layer added, or the input size when none has been.</summary>
    public int CurrentSize { get; private set; }

    /// <summary>Adds a fully connected layer.</summary>
    /// <param name="units">The number of units (outputs), positive.</param>
    /// <param name="activation">The activation; identity when null.</param>
    /// <param name="weightInitializer">The weight initialiser; the activation's <see cref="Activation.DefaultWeightInitializer"/> when null (He uniform for the ReLU family, Glorot uniform otherwise).</param>
    /// <param name="biasInitializer">The bias initialiser; zeros when null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, or the weights (current size × units) are more values than a dense matrix holds.</exception>
    public NetworkBuilder<T> Dense(int units, Activation? activation = null, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        Guard.Positive(units, nameof(units));
        int inputs = CurrentSize;
        Guard.MatrixSize(inputs, units, $"Dense({inputs}→{units})'s weights", nameof(units));
        _layers.Add(() => new Dense<T>(inputs, units, activation, weightInitializer, biasInitializer));
        CurrentSize = units;
        return this;
    }

    /// <summary>Adds a layer of any type, such as one of your own.</summary>
    /// <param name="create">Builds the layer for the given input size (the previous layer's output size); called on every <see cref="Build"/>, so each network gets its own layer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The layer built does not take <see cref="CurrentSize"/> inputs.</exception>
    public NetworkBuilder<T> Add(Func<int, Layer<T>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        int inputs = CurrentSize;

        // Built once here to learn its output size, so that the next layer can be sized now.
        Layer<T> layer = create(inputs) ?? throw new ArgumentException("The layer factory returned null.", nameof(create));
        if (layer.InputSize != inputs)
        {
            throw new ArgumentException($"The layer added after {inputs} outputs must take {inputs} inputs, but {layer} takes {layer.InputSize}.", nameof(create));
        }

        _layers.Add(() => create(inputs));
        CurrentSize = layer.OutputSize;
        return this;
    }

    /// <summary>Creates the network, with new layers, and draws its parameters.</summary>
    /// <param name="loss">The loss to train on.</param>
    /// <param name="seed">Seeds the initialisers; the same seed gives the same starting weights.</param>
    /// <returns>A new network.</returns>
    /// <exception cref="ArgumentException">No layer was added, or a fused loss follows a non-identity activation.</exception>
    public Network<T> Build(Loss loss, int seed = 0) => new(_layers.Select(create => create()), loss, seed);
}
