using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Persistence;

/// <summary>
/// Reads the network section of format version 1, which NeuralNet 1.0 wrote: the loss by name, then dense layers
/// only, each with its activation and initialisers as a name and one number. The names are the registered ones; the
/// number is the one hyper-parameter version 1 knew (the leaky ReLU slope, the random-normal standard deviation).
/// Kept so that files users saved with 1.0 load forever; nothing writes this version any more.
/// </summary>
internal static class NetworkCodecV1
{
    private const int MaxUnits = 1 << 24;

    public static Network<T> Read<T>(ModelReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string lossName = reader.Text("loss");
        Loss loss = ComponentCodec.Create(reader, ComponentRegistry.Losses, lossName, new ComponentConfig());
        int count = reader.Int32("the layer count", 1, NetworkCodec.MaxLayers);
        var layers = new List<Layer<T>>(Math.Min(count, 64));
        for (int l = 0; l < count; l++)
        {
            string type = reader.Text("layer type");
            if (type != "dense")
            {
                throw reader.Corrupt($"expected layer type 'dense', but found '{type}'");
            }

            int inputs = reader.Int32("a layer's input count", 1, MaxUnits);
            int outputs = reader.Int32("a layer's output count", 1, MaxUnits);
            Activation activation = Read(reader, ComponentRegistry.Activations, "activation", "leaky_relu", "slope");
            Initializer weightInitializer = Read(reader, ComponentRegistry.Initializers, "initialiser", "random_normal", "standard_deviation");
            Initializer biasInitializer = Read(reader, ComponentRegistry.Initializers, "initialiser", "random_normal", "standard_deviation");
            T[] weights = reader.Values<T>((long)inputs * outputs, $"layer {l}'s weights");
            NetworkCodec.CheckFinite<T>(reader, weights, inputs, $"layer {l}'s weights");
            T[] biases = reader.Values<T>(outputs, $"layer {l}'s biases");
            NetworkCodec.CheckFinite<T>(reader, biases, 1, $"layer {l}'s biases");
            var dense = new Dense<T>(inputs, outputs, activation, weightInitializer, biasInitializer);
            weights.CopyTo(dense.Weights.Values);
            biases.CopyTo(dense.Biases.Values);
            layers.Add(dense);
        }

        return ModelFile.Assemble(layers, loss);
    }

    /// <summary>A name and one number: the number is <paramref name="key"/> for the component named <paramref name="withParameter"/>, and ignored for the others.</summary>
    private static TComponent Read<TComponent>(ModelReader reader, ComponentTable<TComponent> table, string what, string withParameter, string key)
        where TComponent : class
    {
        string name = reader.Text(what);
        double parameter = reader.Double();
        var config = new ComponentConfig();
        if (name == withParameter)
        {
            config.Set(key, parameter);
        }

        return ComponentCodec.Create(reader, table, name, config);
    }
}
