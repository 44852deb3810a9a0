using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// One dense layer as read from the graph, before the network exists: its size, the tensors that hold its weights and
/// bias, its activation, and the name of the tensor it ends in.
/// </summary>
/// <remarks>
/// The layer is assembled node by node (a Gemm or MatMul, then perhaps an Add, then perhaps an activation) and only
/// then decoded, once the element type of the network is known.
/// </remarks>
/// <param name="node">The Gemm or MatMul node that multiplies by the weights; tensor errors name it.</param>
/// <param name="weights">The weight tensor, inputs × outputs, or outputs × inputs when <paramref name="transposed"/>.</param>
/// <param name="transposed">Whether the tensor is stored outputs × inputs (Gemm transB, PyTorch's layout).</param>
/// <param name="inputs">The layer's input features.</param>
/// <param name="outputs">The layer's output units.</param>
internal sealed class LayerSpec(NodeProto node, TensorProto weights, bool transposed, int inputs, int outputs)
{
    private TensorProto? _bias;
    private bool _broadcastBias;
    private NodeProto? _biasNode;
    private Array? _weightValues;
    private Array? _biasValues;

    /// <summary>The layer's input features.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The layer's output units.</summary>
    public int Outputs { get; } = outputs;

    /// <summary>The name of the tensor this layer's last node produces.</summary>
    public string Output { get; set; } = string.Empty;

    /// <summary>The activation read after the layer; null while none has been.</summary>
    public Activation? Activation { get; set; }

    /// <summary>What the layer ends with, for messages.</summary>
    public string ActivationNode => Activation is null ? "a linear layer" : $"{Activation}";

    /// <summary>Whether a bias has been read for the layer.</summary>
    public bool HasBias => _bias is not null;

    /// <summary>Takes <paramref name="bias"/>, read by <paramref name="biasNode"/>, as the layer's bias after checking it broadcasts along rows.</summary>
    public void SetBias(NodeProto biasNode, TensorProto bias)
    {
        // A bias broadcasts along rows: a vector of the layer's outputs, one row of them, or a single value
        // (ONNX broadcasting allows the last; a shape that would mix samples is not a bias).
        bool shaped = (bias.Dims.Count == 1 && bias.Dims[0] == Outputs)
            || (bias.Dims.Count == 2 && bias.Dims[0] == 1 && bias.Dims[1] == Outputs);
        bool single = bias.Dims.Count <= 2 && bias.Dims.All(d => d == 1);
        if (!shaped && !single)
        {
            throw new OnnxFormatException(
                $"The bias '{bias.Name}' of ONNX node '{biasNode.Name}' ({biasNode.OpType}) has shape [{string.Join(", ", bias.Dims)}]; the layer has {Outputs} outputs, so it must be [{Outputs}], [1, {Outputs}] or a single value.");
        }

        _broadcastBias = !shaped;
        _bias = bias;
        _biasNode = biasNode;
    }

    /// <summary>Decodes the weight and bias tensors as <typeparamref name="T"/>, checking they fill the layer's shape.</summary>
    public void ReadValues<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        _weightValues = TensorDecoder.Values<T>(weights, node, (long)Inputs * Outputs);
        _biasValues = _bias is null ? null : TensorDecoder.Values<T>(_bias, _biasNode!, _broadcastBias ? 1 : Outputs);
    }

    /// <summary>Copies the decoded weights and bias into <paramref name="dense"/>, a layer of the same shape.</summary>
    public void CopyTo<T>(Dense<T> dense)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = (T[])_weightValues!;
        T[] target = dense.Weights.Value.AsColumnMajorArray();

        // Column-major W (inputs × outputs) is W read as outputs × inputs row by row: a transposed tensor
        // (Gemm transB = 1, PyTorch's layout) copies straight in; an inputs × outputs tensor is transposed.
        if (transposed)
        {
            source.CopyTo(target, 0);
        }
        else
        {
            for (int i = 0; i < Inputs; i++)
            {
                for (int o = 0; o < Outputs; o++)
                {
                    target[(o * Inputs) + i] = source[(i * Outputs) + o];
                }
            }
        }

        T[] biases = dense.Biases.Value.AsColumnMajorArray();
        if (_biasValues is T[] bias)
        {
            if (_broadcastBias)
            {
                Array.Fill(biases, bias[0]);
            }
            else
            {
                bias.CopyTo(biases, 0);
            }
        }
        else
        {
            Array.Clear(biases);
        }
    }
}
