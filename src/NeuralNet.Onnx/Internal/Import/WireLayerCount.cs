namespace NeuralNet.Onnx.Internal.Import;

/// <summary>
/// Counts the dense layers of a serialized ModelProto on its protobuf wire format, without parsing it: no object is
/// made per node, so counting a file costs a pass over its bytes and no memory.
/// </summary>
/// <remarks>
/// <para>
/// It reads what the parser would make of the bytes: every occurrence of ModelProto.graph (field 7; occurrences
/// merge, so their nodes add up), every GraphProto.node (field 1) in them, and in each node the last op_type (field 4)
/// and domain (field 7), since a scalar field written twice takes its last value. Other fields are skipped by their
/// wire type, as the parser skips fields it does not know.
/// </para>
/// <para>
/// Anything else (a group, a length beyond the data, a tag wider than 32 bits, a truncated varint) makes it give up:
/// the parser then decides whether the file is well formed, and the parsed graph is counted instead.
/// </para>
/// </remarks>
internal static class WireLayerCount
{
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int NodeOpType = 4;
    private const int NodeDomain = 7;

    /// <summary>The number of dense layers in <paramref name="model"/>; false when the bytes hold something this count does not read.</summary>
    public static bool TryCount(ReadOnlySpan<byte> model, out long layers)
    {
        layers = 0;
        var fields = new FieldReader(model);
        while (fields.TryNext(out int field, out ReadOnlySpan<byte> value, out bool delimited))
        {
            if (field == ModelGraph && delimited && !TryCountGraph(value, ref layers))
            {
                return false;
            }
        }

        return fields.AtEnd;
    }

    private static bool TryCountGraph(ReadOnlySpan<byte> graph, ref long layers)
    {
        var fields = new FieldReader(graph);
        while (fields.TryNext(out int field, out ReadOnlySpan<byte> value, out bool delimited))
        {
            if (field == GraphNode && delimited)
            {
                if (!TryReadNode(value, out bool isLayer))
                {
                    return false;
                }

                layers += isLayer ? 1 : 0;
            }
        }

        return fields.AtEnd;
    }

    private static bool TryReadNode(ReadOnlySpan<byte> node, out bool isLayer)
    {
        ReadOnlySpan<byte> opType = default;
        ReadOnlySpan<byte> domain = default;
        var fields = new FieldReader(node);
        while (fields.TryNext(out int field, out ReadOnlySpan<byte> value, out bool delimited))
        {
            if (delimited && field == NodeOpType)
            {
                opType = value;
            }
            else if (delimited && field == NodeDomain)
            {
                domain = value;
            }
        }

        isLayer = LayerCap.IsLayer(opType, domain);
        return fields.AtEnd;
    }

    /// <summary>The fields of one message, in order; it stops, short of the end, at anything it does not read.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> data)
    {
        private const int VarintType = 0;
        private const int Fixed64Type = 1;
        private const int DelimitedType = 2;
        private const int Fixed32Type = 5;

        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        /// <summary>Whether every field was read: false when the reader stopped at something it does not read.</summary>
        public readonly bool AtEnd => _position == _data.Length;

        /// <summary>The next field's number, and for a length-delimited field its bytes; false at the end or at anything unread.</summary>
        public bool TryNext(out int field, out ReadOnlySpan<byte> value, out bool delimited)
        {
            field = 0;
            value = default;
            delimited = false;
            int start = _position;
            if (_position == _data.Length || !TryVarint(out ulong tag) || tag > uint.MaxValue || tag >> 3 == 0)
            {
                _position = start;
                return false;
            }

            field = (int)(tag >> 3);
            bool read = (int)(tag & 7) switch
            {
                VarintType => TryVarint(out _),
                Fixed64Type => TrySkip(8),
                Fixed32Type => TrySkip(4),
                DelimitedType => TryDelimited(out value),
                _ => false,
            };
            delimited = (tag & 7) == DelimitedType;
            if (!read)
            {
                _position = start;
            }

            return read;
        }

        private bool TryDelimited(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!TryVarint(out ulong length) || length > (ulong)(_data.Length - _position))
            {
                return false;
            }

            value = _data.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        private bool TrySkip(int count)
        {
            if (_data.Length - _position < count)
            {
                return false;
            }

            _position += count;
            return true;
        }

        private bool TryVarint(out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 64 && _position < _data.Length; shift += 7)
            {
                byte b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
