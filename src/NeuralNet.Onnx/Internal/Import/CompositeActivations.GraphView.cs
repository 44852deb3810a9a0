using NeuralNet.Onnx.Protos;

namespace NeuralNet.Onnx.Internal.Import;

// The part of CompositeActivations that indexes the graph: producers, reader counts and scalar constants.
internal static partial class CompositeActivations
{
    /// <summary>Who makes and who reads each tensor of the graph, and its scalar constants.</summary>
    private sealed class GraphView
    {
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);

        public GraphView(GraphProto graph)
        {
            foreach (TensorProto initializer in graph.Initializer)
            {
                _constants.TryAdd(initializer.Name, initializer);
            }

            foreach (NodeProto node in graph.Node)
            {
                foreach (string output in node.Output)
                {
                    _producers.TryAdd(output, node);
                }

                foreach (string input in node.Input)
                {
                    _readers[input] = _readers.GetValueOrDefault(input) + 1;
                }

                if (node.OpType == "Constant" && node.Output.Count == 1 && node.Attribute.Count == 1 && node.Attribute[0] is { Name: "value", T: { } tensor })
                {
                    _constants.TryAdd(node.Output[0], tensor);
                }
            }

            foreach (ValueInfoProto output in graph.Output)
            {
                _readers[output.Name] = _readers.GetValueOrDefault(output.Name) + 1;
            }
        }

        /// <summary>The node of <paramref name="opType"/> making <paramref name="tensor"/> when only one node reads it, so it belongs to the form.</summary>
        public NodeProto? Internal(string tensor, string opType) =>
            _producers.TryGetValue(tensor, out NodeProto? node) && node.OpType == opType && _readers.GetValueOrDefault(tensor) == 1 ? node : null;

        /// <summary>Whether <paramref name="node"/> is of the default domain, has no attribute, <paramref name="inputs"/> inputs and one output.</summary>
        public static bool IsPlain(NodeProto node, int inputs) =>
            OnnxNames.IsDefaultDomain(node.Domain) && node.Attribute.Count == 0 && node.Input.Count == inputs && node.Output.Count == 1;

        /// <summary><paramref name="node"/> when it <see cref="IsPlain"/>; null otherwise.</summary>
        public static NodeProto? Plain(NodeProto node, int inputs) => IsPlain(node, inputs) ? node : null;

        /// <summary>
        /// Collects the factors of the product <paramref name="node"/> computes: the inputs of every Mul below it that
        /// only it reads, down to <see cref="MaxDepth"/>; false when there are more than <see cref="MaxLeaves"/>.
        /// </summary>
        public bool ExpandInputs(NodeProto node, List<string> leaves, List<NodeProto> nodes, int depth)
        {
            foreach (string input in node.Input)
            {
                if (depth < MaxDepth && Internal(input, "Mul") is { } mul && IsPlain(mul, 2))
                {
                    nodes.Add(mul);
                    if (!ExpandInputs(mul, leaves, nodes, depth + 1))
                    {
                        return false;
                    }
                }
                else
                {
                    leaves.Add(input);
                    if (leaves.Count > MaxLeaves)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Whether <paramref name="tensor"/> is <c>factor · x^power</c>, a product of Mul nodes that only it reads.</summary>
        public bool IsProduct(string tensor, string x, int power, double factor, List<NodeProto> nodes)
        {
            var leaves = new List<string>();
            var found = new List<NodeProto>();
            if (Internal(tensor, "Mul") is not { } mul || !IsPlain(mul, 2) || !ExpandInputs(mul, leaves, found, 0))
            {
                return false;
            }

            (double constant, List<string> others) = Split(leaves);
            if (!Close(constant, factor) || others.Count != power || others.Any(o => o != x))
            {
                return false;
            }

            nodes.Add(mul);
            nodes.AddRange(found);
            return true;
        }

        /// <summary>The product of the scalar constants among <paramref name="leaves"/>, and the others.</summary>
        public (double Constant, List<string> Others) Split(List<string> leaves)
        {
            double constant = 1;
            var others = new List<string>();
            foreach (string leaf in leaves)
            {
                if (Scalar(leaf) is double value)
                {
                    constant *= value;
                }
                else
                {
                    others.Add(leaf);
                }
            }

            return (constant, others);
        }

        /// <summary>The value of a stored FLOAT or DOUBLE tensor of one element, when it is finite; null for anything else.</summary>
        public double? Scalar(string name)
        {
            if (!_constants.TryGetValue(name, out TensorProto? tensor) || tensor.Dims.Any(d => d != 1)
                || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                return null;
            }

            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            double? value = tensor.DataType switch
            {
                (int)TensorProto.Types.DataType.Float when raw.Length == 4 && tensor.FloatData.Count == 0 => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw),
                (int)TensorProto.Types.DataType.Float when raw.Length == 0 && tensor.FloatData.Count == 1 => tensor.FloatData[0],
                (int)TensorProto.Types.DataType.Double when raw.Length == 8 && tensor.DoubleData.Count == 0 => System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(raw),
                (int)TensorProto.Types.DataType.Double when raw.Length == 0 && tensor.DoubleData.Count == 1 => tensor.DoubleData[0],
                _ => null,
            };
            return value is double v && double.IsFinite(v) ? v : null;
        }
    }
}
