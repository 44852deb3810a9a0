using Google.Protobuf;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Image nodes whose attributes NeuralNet's layers cannot compute are refused, naming the node and the attribute.</summary>
public class ImageLayerImportRefusalTests
{
    [Theory]
    [InlineData("Conv", "dilations", new long[] { 2, 2 }, "*'/features/features.0/Conv'*dilations are [2, 2]*")]
    [InlineData("Conv", "kernel_shape", new long[] { 5, 3 }, "*'/features/features.0/Conv'*kernel_shape is [5, 3]*square*")]
    [InlineData("Conv", "strides", new long[] { 1, 2 }, "*'/features/features.0/Conv'*strides is [1, 2]*square*")]
    [InlineData("Conv", "pads", new long[] { 0, 0, 2, 2 }, "*'/features/features.0/Conv'*pads [0, 0, 2, 2]*valid, same or explicit*")]
    [InlineData("MaxPool", "pads", new long[] { 1, 1, 1, 1 }, "*'/features/features.2/MaxPool'*pads are [1, 1, 1, 1]*do not pad*")]
    [InlineData("MaxPool", "dilations", new long[] { 2, 2 }, "*'/features/features.2/MaxPool'*dilations*")]
    public void Unsupported_ints_attributes_are_refused(string opType, string attribute, long[] values, string message)
    {
        ModelProto model = Mnist();
        var replacement = new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Ints };
        replacement.Ints.AddRange(values);
        Set(model.Graph.Node.First(n => n.OpType == opType), replacement);

        Import(model).Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Theory]
    [InlineData("Conv", "group", 2, "*'/features/features.0/Conv'*group is 2*")]
    [InlineData("MaxPool", "ceil_mode", 1, "*'/features/features.2/MaxPool'*ceil_mode is 1*")]
    public void Unsupported_int_attributes_are_refused(string opType, string attribute, long value, string message)
    {
        ModelProto model = Mnist();
        Set(model.Graph.Node.First(n => n.OpType == opType), new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = value });

        Import(model).Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Theory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    public void Padding_chosen_by_auto_pad_is_refused(string autoPad)
    {
        ModelProto model = Mnist();
        NodeProto conv = model.Graph.Node.First(n => n.OpType == "Conv");
        conv.Attribute.Remove(conv.Attribute.Single(a => a.Name == "pads"));
        Set(conv, new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(autoPad) });

        Import(model).Should().Throw<NotSupportedException>().WithMessage($"*'/features/features.0/Conv'*auto_pad is {autoPad}*");
    }

    [Fact]
    public void Average_pooling_that_counts_its_padding_is_refused_for_the_padding()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture.Load("cnn_padding_avgpool").Path));
        NodeProto pool = model.Graph.Node.Single(n => n.OpType == "AveragePool");
        var pads = new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints };
        pads.Ints.AddRange([1, 1, 1, 1]);
        Set(pool, pads);
        Set(pool, new AttributeProto { Name = "count_include_pad", Type = AttributeProto.Types.AttributeType.Int, I = 1 });

        Import(model).Should().Throw<NotSupportedException>().WithMessage($"*'{pool.Name}'*pads are [1, 1, 1, 1]*do not pad*");
    }

    [Fact]
    public void A_Pad_that_pads_is_refused()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture.Load("cnn_padding_avgpool").Path));
        NodeProto pad = model.Graph.Node.Single(n => n.OpType == "Pad");
        NodeProto constant = model.Graph.Node.Single(n => n.Output[0] == pad.Input[1]);
        constant.Attribute[0].T.RawData = ByteString.CopyFrom([.. new long[] { 0, 0, 1, 1, 0, 0, 1, 1 }.SelectMany(BitConverter.GetBytes)]);

        Import(model).Should().Throw<NotSupportedException>().WithMessage($"*'{pad.Name}'*pads are [0, 0, 1, 1, 0, 0, 1, 1]*");
    }

    [Fact]
    public void An_activation_after_pooling_is_refused_as_pooling_layers_have_none()
    {
        // Conv, MaxPool, Relu: the Relu follows the pooling, where NeuralNet has no activation to hold it.
        ModelProto model = Mnist();
        RepeatedFieldSwap(model.Graph, 1, 2);

        Import(model).Should().Throw<NotSupportedException>().WithMessage("*'/features/features.1/Relu'*right after a Conv*");
    }

    [Fact]
    public void A_convolution_after_the_images_are_flattened_is_refused()
    {
        ModelProto model = Mnist();
        NodeProto flatten = model.Graph.Node.Single(n => n.OpType == "Flatten");
        NodeProto conv = model.Graph.Node.Last(n => n.OpType == "Conv");

        // A 1×1 convolution is inserted right after the Flatten, reading its rows.
        var late = new NodeProto { OpType = "Conv", Name = "late/Conv", Domain = string.Empty };
        late.Input.AddRange([flatten.Output[0], conv.Input[1]]);
        late.Output.Add("late");
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(flatten) + 1, late);
        model.Graph.Node.Single(n => n.OpType == "Gemm").Input[0] = "late";

        Import(model).Should().Throw<NotSupportedException>().WithMessage("*'late/Conv'*only at the start of the chain*");
    }

    [Fact]
    public void Images_too_large_for_a_row_are_refused_before_anything_is_allocated()
    {
        ModelProto model = Mnist();
        TensorShapeProto shape = model.Graph.Input[0].Type.TensorType.Shape;
        shape.Dim[2].DimValue = int.MaxValue;
        shape.Dim[3].DimValue = int.MaxValue;

        Import(model).Should().Throw<NotSupportedException>().WithMessage("*'/features/features.0/Conv'*[-1, 1, 2147483647, 2147483647]*channels, height and width*");
    }

    [Fact]
    public void Padding_that_makes_an_output_too_large_for_a_row_is_refused()
    {
        ModelProto model = Mnist();
        var pads = new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints };
        pads.Ints.AddRange([1_000_000_000, 1_000_000_000, 1_000_000_000, 1_000_000_000]);
        Set(model.Graph.Node.First(n => n.OpType == "Conv"), pads);

        Import(model).Should().Throw<NotSupportedException>().WithMessage("*'/features/features.0/Conv'*more than a row of a dense matrix holds*");
    }

    [Fact]
    public void An_attribute_from_a_later_opset_is_a_malformed_file()
    {
        // allowzero is Reshape's from opset 14; NeuralNet's own export at opset 13 starts with a Reshape.
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(ImageArchitectures.Build<float>("issue-cnn-drop-edges")));
        Set(model.Graph.Node.Single(n => n.OpType == "Reshape"), new AttributeProto { Name = "allowzero", Type = AttributeProto.Types.AttributeType.Int, I = 0 });

        Import(model).Should().Throw<OnnxFormatException>().WithMessage("*'conv2d0/Reshape'*allowzero*from opset 14*imports opset 13*");
    }

    [Fact]
    public void A_Sub_after_a_convolution_is_not_read_as_an_input_normalisation()
    {
        ModelProto model = Mnist();
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        string bias = model.Graph.Node.First(n => n.OpType == "Conv").Input[2];
        var sub = new NodeProto { OpType = "Sub", Name = "late/Sub" };
        sub.Input.AddRange([relu.Output[0], bias]);
        sub.Output.Add("shifted");
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(relu) + 1, sub);
        model.Graph.Node.First(n => n.OpType == "MaxPool").Input[0] = "shifted";

        Import(model).Should().Throw<NotSupportedException>().WithMessage("*'late/Sub'*input normalisation*before any layer*");
    }

    private static ModelProto Mnist() => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture.Load("mnist_cnn").Path));

    private static Action Import(ModelProto model)
    {
        byte[] bytes = model.ToByteArray();
        return () => OnnxModel.Import<float>(bytes);
    }

    private static void Set(NodeProto node, AttributeProto attribute)
    {
        AttributeProto? existing = node.Attribute.FirstOrDefault(a => a.Name == attribute.Name);
        if (existing is not null)
        {
            node.Attribute.Remove(existing);
        }

        node.Attribute.Add(attribute);
    }

    /// <summary>Swaps the nodes at <paramref name="first"/> and <paramref name="second"/> (adjacent, first before second) and rewires them so the second runs first.</summary>
    private static void RepeatedFieldSwap(GraphProto graph, int first, int second)
    {
        NodeProto a = graph.Node[first], b = graph.Node[second];
        string input = a.Input[0], middle = a.Output[0], output = b.Output[0];
        b.Input[0] = input;
        b.Output[0] = middle;
        a.Input[0] = middle;
        a.Output[0] = output;
        graph.Node[first] = b;
        graph.Node[second] = a;
    }
}
