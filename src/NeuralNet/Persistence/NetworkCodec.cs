using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Data;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Persistence;

/// <summary>
/// The network section of the model format from version 2: the loss as a component, then per layer its registered
/// type name, its configuration and its parameters by name and shape. Any registered layer type is written and read
/// the same way; the loader checks every size against the bytes present before it allocates, and grants the layer's
/// factory no more parameter values than the file holds for it. From version 3 a metadata section follows the layers:
/// the feature names, the class names and the target scaler (<see cref="Network{T}.TargetScaler"/>).
/// </summary>
internal static class NetworkCodec
{
    public const int MaxLayers = 1024;

    public static void Write<T>(ModelWriter writer, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.Layers.Count > MaxLayers)
        {
            throw new InvalidOperationException($"The network cannot be saved: it has {network.Layers.Count} layers, and the model format holds at most {MaxLayers}.");
        }

        ComponentCodec.WriteLoss(writer, network.Loss);
        writer.Int32(network.Layers.Count);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Layer<T> layer = network.Layers[l];
            ComponentRegistry.Layers.EnsureRegistered(layer);
            writer.Text(layer.Name);
            ComponentCodec.WriteConfig(writer, layer.GetConfig());
            IReadOnlyList<Parameter<T>> parameters = layer.Parameters;
            if (parameters.Count > byte.MaxValue)
            {
                throw new InvalidOperationException($"{layer} has {parameters.Count} parameters; the model format stores at most {byte.MaxValue} per layer.");
            }

            writer.Byte((byte)parameters.Count);
            foreach (Parameter<T> parameter in parameters)
            {
                // A file of non-finite weights would be refused on loading: refuse to write it in the first place.
                if (FirstNonFinite<T>(parameter.Values, parameter.Value.RowCount) is { } bad)
                {
                    throw new InvalidOperationException($"The network cannot be saved: layer {l} ({layer})'s {parameter.Name} {bad}; a file of it could not be loaded.");
                }

                writer.Text(parameter.Name);
                writer.Int32(parameter.Value.RowCount);
                writer.Int32(parameter.Value.ColumnCount);
                writer.Values<T>(parameter.Values);
            }
        }

        WriteMetadata(writer, network);
    }

    public static Network<T> Read<T>(ModelReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Loss loss = ComponentCodec.ReadLoss(reader);
        int count = reader.Int32("the layer count", 1, MaxLayers);
        var layers = new List<Layer<T>>(Math.Min(count, 64));
        for (int l = 0; l < count; l++)
        {
            layers.Add(ReadLayer<T>(reader, l));
        }

        Network<T> network = ModelFile.Assemble(layers, loss);
        if (reader.FormatVersion >= 3)
        {
            ReadMetadata(reader, network);
        }

        return network;
    }

    /// <summary>Refuses non-finite values read from a file, naming where the first one is.</summary>
    public static void CheckFinite<T>(ModelReader reader, ReadOnlySpan<T> values, int rows, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FirstNonFinite(values, rows) is { } bad)
        {
            throw reader.Corrupt($"{what} {bad}");
        }
    }

    /// <summary>"are not finite: NaN at row r, column c" for the first non-finite value of a column-major matrix, or null.</summary>
    public static string? FirstNonFinite<T>(ReadOnlySpan<T> values, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!T.IsFinite(values[k]))
            {
                return FormattableString.Invariant($"are not finite: {double.CreateChecked(values[k])} at row {k % rows}, column {k / rows}");
            }
        }

        return null;
    }

    /// <summary>The version 3 metadata: feature names, class names (each an int32 count, 0 for none, then UTF-8 texts), and the target scaler.</summary>
    private static void WriteMetadata<T>(ModelWriter writer, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        WriteNames(writer, network.FeatureNames);
        WriteNames(writer, network.ClassNames);
        StandardScaler<T>? scaler = network.TargetScaler;
        writer.Byte(scaler is null ? (byte)0 : (byte)1);
        if (scaler is not null)
        {
            // float64, like configuration numbers: a float network's statistics widen exactly and narrow back exactly.
            writer.Int32(scaler.Mean!.Count);
            writer.Values<double>([.. scaler.Mean.Select(double.CreateChecked)]);
            writer.Values<double>([.. scaler.StandardDeviation!.Select(double.CreateChecked)]);
        }
    }

    private static void WriteNames(ModelWriter writer, IReadOnlyList<string>? names)
    {
        writer.Int32(names?.Count ?? 0);
        foreach (string name in names ?? [])
        {
            writer.Utf8(name);
        }
    }

    private static void ReadMetadata<T>(ModelReader reader, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[]? features = ReadNames(reader, "feature", network.InputSize);
        string[]? classes = ReadNames(reader, "class", network.ClassCount);
        StandardScaler<T>? scaler = null;
        int flag = reader.Byte();
        if (flag > 1)
        {
            throw reader.Corrupt($"expected the target scaler flag as 0 or 1, but found {flag}");
        }

        if (flag == 1)
        {
            int count = reader.Int32("the target scaler's feature count", network.OutputSize, network.OutputSize);
            double[] mean = reader.Values<double>(count, "the target scaler's means");
            double[] scale = reader.Values<double>(count, "the target scaler's standard deviations");
            try
            {
                scaler = new StandardScaler<T>([.. mean.Select(T.CreateChecked)], [.. scale.Select(T.CreateChecked)]);
            }
            catch (ArgumentException e)
            {
                throw reader.Corrupt($"the target scaler's statistics are not valid: {e.Message}");
            }
        }

        try
        {
            network.SetMetadata(features, classes, scaler, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw reader.Corrupt($"its names or target scaler do not fit the network: {e.Message}");
        }
    }

    /// <summary>Null for a count of 0; otherwise exactly <paramref name="expected"/> names, each UTF-8 text whose length is checked against the bytes present.</summary>
    private static string[]? ReadNames(ModelReader reader, string kind, int expected)
    {
        int count = reader.Int32($"the number of {kind} names", 0, int.MaxValue);
        if (count == 0)
        {
            return null;
        }

        if (count != expected)
        {
            throw reader.Corrupt($"expected 0 or {expected} {kind} names for this network, but found {count}");
        }

        var names = new string[count];
        for (int k = 0; k < count; k++)
        {
            names[k] = reader.Utf8($"{kind} name {k}");
        }

        return names;
    }

    private static Layer<T> ReadLayer<T>(ModelReader reader, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string type = reader.Text("layer type");
        ComponentConfig config = ComponentCodec.ReadConfig(reader, 0);
        int tensorCount = reader.Byte();
        var tensors = new (string Name, int Rows, int Columns, T[] Values)[tensorCount];
        long values = 0;
        for (int t = 0; t < tensorCount; t++)
        {
            string name = reader.Text("a parameter name");
            int rows = reader.Int32("a parameter's row count", 1, int.MaxValue);
            int columns = reader.Int32("a parameter's column count", 1, int.MaxValue);
            tensors[t] = (name, rows, columns, reader.Values<T>((long)rows * columns, $"layer {index}'s {name}"));
            CheckFinite(reader, tensors[t].Values, rows, $"layer {index}'s {name}");
            values += tensors[t].Values.Length;
        }

        if (!ComponentRegistry.Layers.IsRegistered(type))
        {
            throw reader.Corrupt($"layer {index} is of type '{type}', which is not registered; register it with ComponentRegistry.Layers before loading a file that uses it");
        }

        Layer<T> layer;
        try
        {
            using (AllocationBudget.Grant(values))
            {
                layer = ComponentRegistry.Layers.Create<T>(type, config);
            }
        }
        catch (Exception e) when (ComponentCodec.IsConfigurationError(e))
        {
            throw reader.Corrupt($"layer {index} ('{type}') cannot be built from its configuration ({config}): {e.Message}");
        }

        IReadOnlyList<Parameter<T>> parameters = layer.Parameters;
        if (parameters.Count != tensorCount)
        {
            throw reader.Corrupt($"layer {index} ({layer}) has {parameters.Count} parameters, but the file holds {tensorCount}");
        }

        foreach ((string name, int rows, int columns, T[] data) in tensors)
        {
            Parameter<T> parameter = parameters.FirstOrDefault(p => p.Name == name)
                ?? throw reader.Corrupt($"layer {index} ({layer}) has no parameter named '{name}'");
            if (parameter.Value.RowCount != rows || parameter.Value.ColumnCount != columns)
            {
                throw reader.Corrupt($"layer {index}'s {name} is {parameter.Value.RowCount}×{parameter.Value.ColumnCount}, but the file holds {rows}×{columns}");
            }

            data.CopyTo(parameter.Values);
        }

        return layer;
    }
}
