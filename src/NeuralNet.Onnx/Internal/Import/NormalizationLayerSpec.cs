using System.Globalization;
using System.Numerics;
using NeuralNet.Components;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// One batch or layer normalisation as read from the graph, before the network exists: its node, its stored tensors
/// (γ, β and, for batch normalisation, the running mean and variance), its hyper-parameters, and where it sits among
/// the dense layers.
/// </summary>
/// <remarks>
/// The tensors are decoded only in <see cref="Create{T}"/>, once the network's element type is known; the layer is
/// made through <see cref="ComponentRegistry.Layers"/>, whose configuration carries the running statistics, so the
/// imported layer is the one NeuralNet trains and saves.
/// </remarks>
internal sealed class NormalizationLayerSpec
{
    private readonly NodeProto _node;
    private readonly TensorProto _gamma;
    private readonly TensorProto? _beta;
    private readonly TensorProto? _runningMean;
    private readonly TensorProto? _runningVariance;

    private NormalizationLayerSpec(NodeProto node, string layerName, int features, int position, double epsilon, double momentum,
        TensorProto gamma, TensorProto? beta, TensorProto? runningMean, TensorProto? runningVariance)
    {
        _node = node;
        LayerName = layerName;
        Features = features;
        Position = position;
        Epsilon = epsilon;
        Momentum = momentum;
        _gamma = gamma;
        _beta = beta;
        _runningMean = runningMean;
        _runningVariance = runningVariance;
    }

    /// <summary>The registered name of the layer made: <c>batch_normalization</c> or <c>layer_normalization</c>.</summary>
    public string LayerName { get; }

    /// <summary>The number of features normalised.</summary>
    public int Features { get; }

    /// <summary>How many dense layers come before it.</summary>
    public int Position { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>NeuralNet's (PyTorch's) momentum of the running statistics: 1 − the ONNX momentum; unused by layer normalisation.</summary>
    public double Momentum { get; }

    /// <summary>The name of the tensor the node produces.</summary>
    public string Output => _node.Output[0];

    /// <summary>A batch normalisation with its running statistics.</summary>
    public static NormalizationLayerSpec Batch(NodeProto node, int features, int position, double epsilon, double momentum,
        TensorProto gamma, TensorProto beta, TensorProto runningMean, TensorProto runningVariance) =>
        new(node, "batch_normalization", features, position, epsilon, momentum, gamma, beta, runningMean, runningVariance);

    /// <summary>A layer normalisation; without <paramref name="beta"/> its shift is 0.</summary>
    public static NormalizationLayerSpec Layer(NodeProto node, int features, int position, double epsilon, TensorProto gamma, TensorProto? beta) =>
        new(node, "layer_normalization", features, position, epsilon, double.NaN, gamma, beta, null, null);

    /// <summary>The layer, with the graph's γ, β and running statistics decoded as <typeparamref name="T"/>.</summary>
    /// <exception cref="OnnxFormatException">A tensor is not one finite value per feature, or a running variance is negative.</exception>
    public Layer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var config = new ComponentConfig().Set("features", Features).Set("epsilon", Epsilon);
        if (_runningMean is not null && _runningVariance is not null)
        {
            config.Set("momentum", Momentum)
                .Set("running_mean", Doubles<T>(_runningMean))
                .Set("running_variance", Doubles<T>(_runningVariance));
        }

        Layer<T> layer;
        try
        {
            layer = ComponentRegistry.Layers.Create<T>(LayerName, config);
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($"ONNX node '{_node.Name}' ({_node.OpType}) does not make a valid {LayerName} layer: {e.Message}", e);
        }

        (Parameter<T> gamma, Parameter<T> beta) = layer switch
        {
            BatchNormalization<T> batch => (batch.Gamma, batch.Beta),
            LayerNormalization<T> normalization => (normalization.Gamma, normalization.Beta),
            _ => throw new InvalidOperationException($"The layer registered as '{LayerName}' is {layer}, not NeuralNet's own."),
        };
        TensorDecoder.Values<T>(_gamma, _node, Features).CopyTo(gamma.Value.AsColumnMajorArray(), 0);
        if (_beta is not null)
        {
            TensorDecoder.Values<T>(_beta, _node, Features).CopyTo(beta.Value.AsColumnMajorArray(), 0);
        }

        return layer;
    }

    /// <summary>A running statistic as the doubles a layer configuration holds (exact for float and double).</summary>
    private double[] Doubles<T>(TensorProto tensor)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. TensorDecoder.Values<T>(tensor, _node, Features).Select(v => double.CreateChecked(v))];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LayerName}({Features}) from '{_node.Name}'");
}
