using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Onnx.Internal;

/// <summary>
/// What export refuses before it writes anything: invalid options, and networks whose model the same package's import
/// would refuse (more layers than it reads, weights that are not finite, a slope float rounds out of range, two
/// activations in a row at the end, an image layer after the images have ended).
/// </summary>
/// <remarks>Every model export writes must import: a file that cannot be read back is worse than no file.</remarks>
internal static class ExportChecks
{
    /// <summary>Refuses options that name nothing, clash, or fall outside what the writer supports.</summary>
    public static void CheckOptions(OnnxExportOptions options)
    {
        if (options.OpsetVersion is < OnnxExportOptions.MinimumOpsetVersion or > OnnxExportOptions.MaximumOpsetVersion)
        {
            throw new ArgumentException(
                $"OpsetVersion must be from {OnnxExportOptions.MinimumOpsetVersion} to {OnnxExportOptions.MaximumOpsetVersion}, but got {options.OpsetVersion}.",
                nameof(options));
        }

        CheckName(options.InputName, nameof(OnnxExportOptions.InputName), tensor: true);
        CheckName(options.OutputName, nameof(OnnxExportOptions.OutputName), tensor: true);
        CheckName(options.BatchDimensionName, nameof(OnnxExportOptions.BatchDimensionName), tensor: false);
        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"InputName and OutputName must differ, but both are '{options.InputName}'.", nameof(options));
        }

        if (!Enum.IsDefined(options.Output) || !Enum.IsDefined(options.DenseEncoding))
        {
            throw new ArgumentException($"Output ({options.Output}) and DenseEncoding ({options.DenseEncoding}) must be values their enums define.", nameof(options));
        }

        static void CheckName(string name, string property, bool tensor)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{property} must be a non-empty name, but got '{name}'.", nameof(options));
            }

            // Protobuf writes strings as UTF-8, which replaces a lone surrogate with U+FFFD: two names differing only
            // there would become one name, which import refuses as defined twice.
            int surrogate = LoneSurrogate(name);
            if (surrogate >= 0)
            {
                throw new ArgumentException($"{property} must be well-formed Unicode, but it holds a lone surrogate at index {surrogate}; ONNX writes names as UTF-8.", nameof(options));
            }

            if (tensor && OnnxWriter.IsGeneratedName(name))
            {
                throw new ArgumentException($"{property} '{name}' would clash with a tensor name the exporter generates (denseN.weight, denseN.bias, denseN.z, denseN.a and the like).", nameof(options));
            }
        }
    }

    /// <summary>Refuses a network of more layers than import reads, before export copies it.</summary>
    public static void CheckDepth<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.Layers.Count > OnnxModel.MaximumLayers)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The network has {network.Layers.Count:N0} layers; ONNX export writes at most {OnnxModel.MaximumLayers:N0} (OnnxModel.MaximumLayers), as many as import reads."),
                nameof(network));
        }
    }

    /// <summary>
    /// Refuses a normalisation layer anywhere but first, where import reads <c>Sub</c> then <c>Div</c> back into one, and a
    /// network with no dense layer, which import would refuse as a graph of no layers.
    /// </summary>
    public static void CheckLayers<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckActivationLayers(network);
        for (int l = 1; l < network.Layers.Count; l++)
        {
            if (network.Layers[l] is Normalization<T>)
            {
                throw new ArgumentException($"Layer {l}, {network.Layers[l]}, normalises inside the network; ONNX export writes a normalization layer only as the first layer, at the graph's input, where import reads it back.", nameof(network));
            }
        }

        CheckImageLayers(network);
        if (!network.Layers.Any(layer => layer is Dense<T>))
        {
            throw new ArgumentException($"The network ({network}) has no dense layer; ONNX import reads graphs of at least one, so export does not write it.", nameof(network));
        }
    }

    /// <summary>
    /// Refuses an image layer (convolution, pooling, flatten) after the images have ended: after a flatten or a global
    /// average pooling, or after any layer other than a dropout or a first normalisation. Import reads image layers
    /// only at the start of the chain, from the graph's input (reshaped to images) to the flatten that ends them.
    /// </summary>
    private static void CheckImageLayers<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Layer<T>? ended = null;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Layer<T> layer = network.Layers[l];
            if (ImageLayerWriter.Writes(layer) && ended is not null)
            {
                throw new ArgumentException($"Layer {l}, {layer}, works on images after {ended} has ended them; ONNX import reads image layers only at the start of a network, before any other layer but a first normalization, so export does not write this one.", nameof(network));
            }

            bool carriesImages = (ImageLayerWriter.Writes(layer) && layer is not (Flatten<T> or GlobalAveragePool<T>)) || layer is Dropout<T> || (l == 0 && layer is Normalization<T>);
            if (!carriesImages)
            {
                ended ??= layer;
            }
        }
    }

    /// <summary>
    /// Refuses to end the graph with two activations in a row: a last layer's own, then the loss's output function,
    /// which only a loss of the user's own can ask for (a fused loss needs a linear last layer).
    /// </summary>
    public static void CheckEnding<T>(Network<T> network, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activation function = network.Loss.OutputActivation;
        if (options.Output == OnnxOutput.Predictions && !function.IsIdentity && network.Layers[^1].Activation is { IsIdentity: false } last)
        {
            throw new ArgumentException(
                $"The network's last layer, {network.Layers[^1]}, ends with {last.Name}, and its loss {network.Loss.Name} applies {function.Name} after it: the graph would end with two activations in a row, which ONNX import does not read as a layer. To serve its raw output, export with Output = OnnxOutput.Logits, which leaves the loss's {function.Name} out.",
                nameof(network));
        }
    }

    /// <summary>Refuses a parameter value that is not finite, naming the first, and a float leaky ReLU slope that rounds to 1.</summary>
    public static void CheckValues<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Layer<T> layer = network.Layers[l];
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                if (FirstNonFinite(parameter.Value) is (int row, int column))
                {
                    T value = parameter.Value[row, column];
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Layer {l}, {layer}, holds {value} in its {parameter.Name} ({parameter.Value.RowCount}×{parameter.Value.ColumnCount}) at row {row}, column {column}; ONNX import refuses weights that are not finite, so export does not write them."),
                        nameof(network));
                }
            }

            // A float network's LeakyRelu alpha is a float (a double network's slope is written exactly, as Max(x, slope·x)).
            if (typeof(T) == typeof(float) && layer.Activation is { } activation && OnnxActivations.OperatorOf(activation.Name) == "LeakyRelu"
                && activation.GetConfig().GetDouble("slope") is double slope && (float)slope >= 1f)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Layer {l}, {layer}, has a leaky ReLU slope of {slope:R}, which is 1 as a float (LeakyRelu's alpha), outside the [0, 1) where ONNX import reads a leaky ReLU; use a slope of at most 0.99999994, the largest float below 1, or a double network, whose slope is written exactly."),
                    nameof(network));
            }
        }
    }

    /// <summary>
    /// Refuses an activation layer that import could not read back: its node(s) must follow a dense layer without an
    /// activation (import then reads one dense layer with it) or a batch or layer normalisation (read back as that
    /// normalisation and an activation layer), dropouts and identity activation layers between them leaving no node.
    /// </summary>
    private static void CheckActivationLayers<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (network.Layers[l] is not ActivationLayer<T> { Activation.IsIdentity: false } layer)
            {
                continue;
            }

            int before = l - 1;
            while (before >= 0 && network.Layers[before] is Dropout<T> or ActivationLayer<T> { Activation.IsIdentity: true })
            {
                before--;
            }

            Layer<T>? previous = before >= 0 ? network.Layers[before] : null;
            if (previous is not (Dense<T> { Activation.IsIdentity: true } or BatchNormalization<T> or LayerNormalization<T>))
            {
                string after = previous is null ? "the network's inputs" : $"layer {before}, {previous}";
                throw new ArgumentException(
                    $"Layer {l}, {layer}, follows {after}; ONNX import reads an activation only right after a dense layer without one or after a batch or layer normalisation, so export does not write this network.",
                    nameof(network));
            }
        }
    }

    /// <summary>The first value of <paramref name="matrix"/> that is not finite, row by row; null when all are.</summary>
    private static (int Row, int Column)? FirstNonFinite<T>(MathNet.Numerics.LinearAlgebra.Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Scanned in storage order, which is fast; only a matrix that holds one is searched again row by row, so
        // the position named is the first a reader of the matrix meets.
        T[] values = matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray();
        if (Array.TrueForAll(values, T.IsFinite))
        {
            return null;
        }

        for (int row = 0; row < matrix.RowCount; row++)
        {
            for (int column = 0; column < matrix.ColumnCount; column++)
            {
                if (!T.IsFinite(values[(column * matrix.RowCount) + row]))
                {
                    return (row, column);
                }
            }
        }

        return null;
    }

    /// <summary>The index of the first surrogate in <paramref name="name"/> that is not half of a pair; −1 when there is none.</summary>
    private static int LoneSurrogate(string name)
    {
        for (int index = 0; index < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out _, out int used) != OperationStatus.Done)
            {
                return index;
            }

            index += used;
        }

        return -1;
    }
}
