using System.Numerics;
using Google.Protobuf;
using NeuralNet.Onnx.Internal;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx;

/// <summary>
/// Exports networks to ONNX, for ONNX Runtime and every other ONNX consumer, and imports the multilayer
/// perceptrons other frameworks (PyTorch's <c>torch.onnx.export</c> among them) write as ONNX.
/// </summary>
/// <remarks>
/// <para>
/// Export writes one <c>Gemm</c> (or <c>MatMul</c> + <c>Add</c>) per dense layer and one node per activation
/// (<c>Relu</c>, <c>LeakyRelu</c>, <c>Sigmoid</c>, <c>Tanh</c>, <c>Softmax</c>, <c>Elu</c>, <c>Selu</c>,
/// <c>Softplus</c>, and from opset 20 <c>Gelu</c>), or its formula (SiLU as <c>Mul(x, Sigmoid(x))</c>, GELU below opset
/// 20 as PyTorch writes it), in the network's element type
/// (FLOAT or DOUBLE), with a dynamic batch dimension: the input is batch × <c>InputSize</c>, the output
/// batch × <c>OutputSize</c>. A network that starts with a <see cref="Layers.Normalization{T}"/> layer starts its
/// graph with <c>Sub</c> of the mean then <c>Div</c> by the standard deviation, so the served model takes raw features;
/// one with a <see cref="Network{T}.TargetScaler"/> ends it with <c>Mul</c> by the targets' standard deviation then
/// <c>Add</c> of their mean, so it answers what <see cref="Network{T}.PredictInTargetUnits(MathNet.Numerics.LinearAlgebra.Matrix{T})"/>
/// does; feature and class names go into the model's <c>metadata_props</c> (<c>neuralnet.feature_names</c>,
/// <c>neuralnet.class_names</c>) as JSON arrays of strings.
/// Export writes only what import reads back (a normalisation layer anywhere but first is refused, and an activation layer
/// that follows neither a dense layer without an activation nor a batch or layer normalisation): a network of more than <see cref="MaximumLayers"/> layers, one
/// whose weights or biases hold a NaN or an infinity, and one whose graph would end with two activations in a row
/// (a last layer's own, then the output function of a loss of your own) are refused with an
/// <see cref="ArgumentException"/> before anything is written.
/// </para>
/// <para>
/// Image layers export as <c>Conv</c> (explicit <c>pads</c> [top, left, bottom, right], weights [F, C, k, k] as
/// PyTorch's <c>nn.Conv2d</c>) followed by its activation, <c>MaxPool</c>, <c>AveragePool</c>, <c>GlobalAveragePool</c>
/// (then <c>Flatten</c>) and <c>Flatten</c>; the graph still takes batch × C·H·W rows, reshaped to [−1, C, H, W] before
/// the first image layer. An image layer after the images have ended (after a flatten, a global average pooling or any
/// layer but a dropout or a first normalisation) is refused with an <see cref="ArgumentException"/>. Import reads the
/// same nodes before the first dense layer, as PyTorch's exporter writes them, into <see cref="Layers.Conv2D{T}"/>,
/// <see cref="Layers.MaxPool2D{T}"/>, <see cref="Layers.AveragePool2D{T}"/>, <see cref="Layers.GlobalAveragePool{T}"/>
/// and <see cref="Layers.Flatten{T}"/>: the network takes rows of C·H·W values, one image per row in channel-major
/// order (an [N, C, H, W] input becomes C·H·W columns). Dilations, groups, <c>auto_pad</c> SAME, <c>ceil_mode</c> 1,
/// padded pooling and non-square kernels or strides throw <see cref="NotSupportedException"/> naming the node and the
/// attribute.
/// </para>
/// <para>
/// Import reads a graph that is one chain of those nodes and formulas (a double leaky ReLU also as
/// <c>Max(x, slope·x)</c>), with
/// <c>Flatten</c> (axis 1), <c>Identity</c> and <c>Constant</c> where exporters put them, and <c>BatchNormalization</c>
/// (inference form) and <c>LayerNormalization</c> (last axis) after an activation or a layer as
/// <see cref="Layers.BatchNormalization{T}"/> and <see cref="Layers.LayerNormalization{T}"/> layers, running statistics
/// included; an activation right after one of them (PyTorch's <c>Linear, BatchNorm1d, ReLU</c>) as an
/// <see cref="Layers.ActivationLayer{T}"/> after it. Any other node, and a second activation in a row, is rejected
/// with a <see cref="NotSupportedException"/> naming it; a malformed file throws <see cref="OnnxFormatException"/>.
/// <c>(x − mean) / std</c> (<c>Sub</c> then <c>Div</c> by stored tensors) on the graph's input imports as a
/// normalisation layer, <c>y · std + mean</c> (<c>Mul</c> then <c>Add</c>) producing the graph's output as the
/// network's target scaler, and recorded names as its <c>FeatureNames</c> and <c>ClassNames</c>.
/// A graph may have at most <see cref="MaximumLayers"/> (1,024) dense layers; one with more <c>Gemm</c> and <c>MatMul</c>
/// nodes throws <see cref="NotSupportedException"/> naming its count, taken on the file's bytes before they are parsed.
/// Batch and layer normalisations count towards the same cap when the graph is read.
/// Within that cap, import time and memory grow in proportion to the file.
/// The imported network's <c>Predict</c> returns what the graph computes, with two exceptions where <c>Infer</c>
/// does instead: a loss with an output function (a fused loss's softmax or sigmoid, or the function of a loss of your
/// own) given in <see cref="OnnxImportOptions.Loss"/> for a graph that does not end with that function, and a model
/// NeuralNet exported with <see cref="OnnxOutput.Logits"/>, whose recorded loss is restored. A graph that ends with
/// the loss's function hands it to the loss, so it is applied once. It can be trained
/// further like any other network.
/// </para>
/// </remarks>
public static class OnnxModel
{
    /// <summary>
    /// The most dense layers an imported graph may have: 1,024, as many as NeuralNet's own model format holds.
    /// </summary>
    /// <remarks>
    /// A graph with more <c>Gemm</c> and <c>MatMul</c> nodes (default domain) throws <see cref="NotSupportedException"/>
    /// naming its count: it is well-formed ONNX, but not a network NeuralNet builds. The nodes are counted on the file's
    /// bytes before they are parsed, so a refused file costs a scan of its bytes.
    /// </remarks>
    public const int MaximumLayers = 1024;

    /// <summary>Writes <paramref name="network"/> to an ONNX file, replacing it only once the whole model is written.</summary>
    /// <typeparam name="T">The network's element type, float or double.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The file to write, usually with the extension <c>.onnx</c>.</param>
    /// <param name="options">Names, output, encoding and opset; the defaults when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, <paramref name="options"/> is invalid (a name must be well-formed Unicode), or <paramref name="network"/> is one import would refuse to read back: it has more than <see cref="MaximumLayers"/> layers, holds a weight or bias that is NaN or infinite (the message names the layer and the row and column of the first), is a float network with a leaky ReLU slope that is 1 as a float, or would end with two activations in a row (its last layer's, then its loss's output function; export those with <see cref="OnnxOutput.Logits"/>), or has an activation layer that follows neither a dense layer without an activation nor a batch or layer normalisation (the message names both layers). No file is written, and an existing one is left as it was.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file at <paramref name="path"/> is left as it was.</exception>
    public static void Export<T>(Network<T> network, string path, OnnxExportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = ExportToBytes(network, options);
        string full = Path.GetFullPath(path);
        // A short temporary name of fixed length, so that a target whose own name is near the file system's limit still saves.
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Guid.NewGuid():N}.tmp");
        try
        {
            // Written aside and moved over the target, so a failure never leaves a half-written model behind.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>.</summary>
    /// <typeparam name="T">The network's element type, float or double.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="options">Names, output, encoding and opset; the defaults when null.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable, <paramref name="options"/> is invalid (a name must be well-formed Unicode), or <paramref name="network"/> is one import would refuse to read back: it has more than <see cref="MaximumLayers"/> layers, holds a weight or bias that is NaN or infinite (the message names the layer and the row and column of the first), is a float network with a leaky ReLU slope that is 1 as a float, or would end with two activations in a row (its last layer's, then its loss's output function; export those with <see cref="OnnxOutput.Logits"/>), or has an activation layer that follows neither a dense layer without an activation nor a batch or layer normalisation (the message names both layers). Nothing is written to the stream.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public static void Export<T>(Network<T> network, Stream stream, OnnxExportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream to export to must be writable.", nameof(stream));
        }

        stream.Write(ExportToBytes(network, options));
    }

    /// <summary>The ONNX model of <paramref name="network"/>, as bytes (for <c>new InferenceSession(bytes)</c>, say).</summary>
    /// <typeparam name="T">The network's element type, float or double.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="options">Names, output, encoding and opset; the defaults when null.</param>
    /// <returns>The serialized <c>ModelProto</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (a name must be well-formed Unicode), or <paramref name="network"/> is one import would refuse to read back: it has more than <see cref="MaximumLayers"/> layers, holds a weight or bias that is NaN or infinite (the message names the layer and the row and column of the first), is a float network with a leaky ReLU slope that is 1 as a float, or would end with two activations in a row (its last layer's, then its loss's output function; export those with <see cref="OnnxOutput.Logits"/>), or has an activation layer that follows neither a dense layer without an activation nor a batch or layer normalisation (the message names both layers).</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public static byte[] ExportToBytes<T>(Network<T> network, OnnxExportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new OnnxExportOptions();
        ExportChecks.CheckOptions(options);
        ExportChecks.CheckDepth(network);
        ExportChecks.CheckLayers(network);
        ExportChecks.CheckEnding(network, options);

        // Checked on the network itself, before the snapshot: Save refuses non-finite weights too, but as a network
        // that cannot be saved, where export names the argument that cannot be exported.
        ExportChecks.CheckValues(network);

        // Read from a copy taken through Save: it sees the weights Save would see, and like Save it refuses while
        // a Fit on another thread is changing them.
        using var snapshot = new MemoryStream();
        network.Save(snapshot);
        snapshot.Position = 0;
        Network<T> copy = Network.Load<T>(snapshot);
        return OnnxWriter.Write(copy, options).ToByteArray();
    }

    /// <summary>Reads an ONNX model from a file into a network.</summary>
    /// <typeparam name="T">The element type of the network to build, float or double; the file's weights are converted to it.</typeparam>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">The loss to train with; inferred from the graph when null.</param>
    /// <returns>A network that computes what the graph does (see the remarks on <see cref="OnnxModel"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="OnnxFormatException">The file is not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is well formed but is not a chain of supported nodes (the message names the node), has more than <see cref="MaximumLayers"/> (1,024) dense layers (the message names how many), or does not fit <typeparamref name="T"/>.</exception>
    public static Network<T> Import<T>(string path, OnnxImportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Import<T>(File.ReadAllBytes(path), options);
    }

    /// <summary>Reads an ONNX model from a stream into a network.</summary>
    /// <typeparam name="T">The element type of the network to build, float or double; the model's weights are converted to it.</typeparam>
    /// <param name="stream">A readable stream, read to its end and left open.</param>
    /// <param name="options">The loss to train with; inferred from the graph when null.</param>
    /// <returns>A network that computes what the graph does (see the remarks on <see cref="OnnxModel"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="OnnxFormatException">The data is not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is well formed but is not a chain of supported nodes (the message names the node), has more than <see cref="MaximumLayers"/> (1,024) dense layers (the message names how many), or does not fit <typeparamref name="T"/>.</exception>
    public static Network<T> Import<T>(Stream stream, OnnxImportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream to import from must be readable.", nameof(stream));
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Import<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    /// <summary>Reads an ONNX model held in memory into a network.</summary>
    /// <typeparam name="T">The element type of the network to build, float or double; the model's weights are converted to it.</typeparam>
    /// <param name="model">The serialized <c>ModelProto</c>.</param>
    /// <param name="options">The loss to train with; inferred from the graph when null.</param>
    /// <returns>A network that computes what the graph does (see the remarks on <see cref="OnnxModel"/>).</returns>
    /// <exception cref="OnnxFormatException">The data is not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is well formed but is not a chain of supported nodes (the message names the node), has more than <see cref="MaximumLayers"/> (1,024) dense layers (the message names how many), or does not fit <typeparamref name="T"/>.</exception>
    public static Network<T> Import<T>(ReadOnlySpan<byte> model, OnnxImportOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"ONNX import builds float and double networks, but got {typeof(T).Name}.");
        }

        return OnnxReader.Read<T>(model, options ?? new OnnxImportOptions());
    }
}
