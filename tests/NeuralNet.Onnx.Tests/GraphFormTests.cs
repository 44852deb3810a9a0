using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// The forms other exporters give the same network import to the same predictions: Identity and Constant nodes,
/// initializers listed as inputs, the bias on either side of Add, Gemm without C, untransposed weights, older
/// Softmax defaults. What falls outside is named.
/// </summary>
public class GraphFormTests
{
    // The exported relu-softmax classifier: dense0/Gemm → dense0/Relu → dense1/Gemm → softmax_cross_entropy/Softmax.
    private readonly Network<float> _network = Architectures.Build<float>("relu-softmax-classifier");
    private readonly Matrix<float> _inputs = Architectures.Inputs<float>(10, 12, seed: 8);

    [Fact]
    public void An_Identity_node_between_a_layer_and_its_activation_is_read_through()
    {
        AssertSamePredictions(Edit(m =>
        {
            m.Graph.Node[1].Input[0] = "dense0.z.copy";
            m.Graph.Node.Insert(1, Node("Identity", "copy", ["dense0.z"], "dense0.z.copy"));
        }));
    }

    [Fact]
    public void Weights_from_a_Constant_node_or_through_an_Identity_are_read()
    {
        AssertSamePredictions(Edit(m =>
        {
            TensorProto weights = m.Graph.Initializer.Single(t => t.Name == "dense1.weight");
            m.Graph.Initializer.Remove(weights);
            NodeProto constant = Node("Constant", "weights", [], "dense1.weight.constant");
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = weights });
            m.Graph.Node.Insert(0, constant);
            m.Graph.Node.Insert(1, Node("Identity", "alias", ["dense1.weight.constant"], "dense1.weight"));
        }));
    }

    [Fact]
    public void Initializers_listed_among_the_inputs_are_not_taken_for_data_inputs()
    {
        // ONNX before IR version 4 required every initializer to be a graph input too; some exporters still do it.
        AssertSamePredictions(Edit(m =>
        {
            foreach (TensorProto initializer in m.Graph.Initializer)
            {
                m.Graph.Input.Add(new ValueInfoProto { Name = initializer.Name, Type = m.Graph.Input[0].Type.Clone() });
            }
        }));
    }

    [Fact]
    public void Gemm_without_C_then_Add_with_the_bias_first_is_one_layer()
    {
        AssertSamePredictions(Edit(m =>
        {
            NodeProto gemm = m.Graph.Node[0];
            gemm.Input.RemoveAt(2);
            gemm.Output[0] = "dense0.xw";
            m.Graph.Node.Insert(1, Node("Add", "bias", ["dense0.bias", "dense0.xw"], "dense0.z"));
        }));
    }

    [Fact]
    public void Gemm_with_untransposed_weights_is_read()
    {
        AssertSamePredictions(Edit(m =>
        {
            // transB = 0 with the weights stored inputs × outputs, as Keras and scikit-learn converters write them.
            TensorProto weights = m.Graph.Initializer.Single(t => t.Name == "dense0.weight");
            float[] values = _network.Layers[0].Parameters[0].Value.ToRowMajorArray();
            weights.Dims.Clear();
            weights.Dims.AddRange([12L, 16L]);
            weights.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
            m.Graph.Node[0].Attribute.Single(a => a.Name == "transB").I = 0;
        }));
    }

    [Fact]
    public void Softmax_before_opset_13_defaults_to_axis_1()
    {
        AssertSamePredictions(Edit(m =>
        {
            m.OpsetImport[0].Version = 11;
            m.Graph.Node[^1].Attribute.Clear();
        }));
    }

    [Fact]
    public void LeakyRelu_without_alpha_has_the_ONNX_default_slope()
    {
        byte[] model = Edit(m =>
        {
            m.Graph.Node[1].OpType = "LeakyRelu";
            m.Graph.Node[1].Attribute.Clear();
        });
        var dense = (Dense<float>)OnnxModel.Import<float>(model).Layers[0];
        dense.Activation.Should().BeOfType<LeakyRelu>().Which.Slope.Should().Be(0.01);
    }

    [Theory]
    [InlineData("softmax-axis-0", "*Softmax along axis 0*")]
    [InlineData("flatten-axis-2", "*Flatten with axis 2*")]
    [InlineData("two-activations", "ONNX node 'again' (op type 'Tanh') is not supported: an activation is read only right after a dense layer*")]
    [InlineData("mul-without-max", "*Mul*read only as the first half of a leaky ReLU*")]
    [InlineData("gemm-alpha", "*only Gemm with alpha = 1*")]
    [InlineData("branch", "ONNX node 'dense1/Gemm' (op type 'Gemm') is not supported: it reads 'dense0.z' where a chain of layers would read 'dense0.a'*")]
    [InlineData("computed-weights", "*its parameter 'dense0.a' is computed in the graph rather than stored*")]
    public void Forms_outside_the_subset_are_named(string form, string message)
    {
        byte[] model = Edit(m =>
        {
            switch (form)
            {
                case "softmax-axis-0":
                    m.Graph.Node[^1].Attribute.Single(a => a.Name == "axis").I = 0;
                    break;
                case "flatten-axis-2":
                    m.Graph.Node[0].Input[0] = "flat";
                    NodeProto flatten = Node("Flatten", "flatten", ["input"], "flat");
                    flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
                    m.Graph.Node.Insert(0, flatten);
                    break;
                case "two-activations":
                    m.Graph.Node[2].Input[0] = "dense0.twice";
                    m.Graph.Node.Insert(2, Node("Tanh", "again", ["dense0.a"], "dense0.twice"));
                    break;
                case "mul-without-max":
                    m.Graph.Initializer.Add(new TensorProto { Name = "half", DataType = 1, RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.5f)) });
                    m.Graph.Node[1] = Node("Mul", "scale", ["dense0.z", "half"], "dense0.a");
                    break;
                case "gemm-alpha":
                    m.Graph.Node[0].Attribute.Single(a => a.Name == "alpha").F = 2f;
                    break;
                case "branch":
                    m.Graph.Node[2].Input[0] = "dense0.z";
                    break;
                case "computed-weights":
                    m.Graph.Node[2].Input[1] = "dense0.a";
                    m.Graph.Node[2].Input[0] = "dense0.a";
                    break;
            }
        });

        FluentActions.Invoking(() => OnnxModel.Import<float>(model)).Should().Throw<NotSupportedException>().WithMessage(message);
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private byte[] Edit(Action<ModelProto> edit)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(_network));
        edit(model);
        return model.ToByteArray();
    }

    private void AssertSamePredictions(byte[] model)
    {
        Network<float> imported = OnnxModel.Import<float>(model);
        imported.Layers.Select(l => ((Dense<float>)l).Activation.Name).Should().Equal("relu", "identity");
        imported.Predict(_inputs).Should().Be(_network.Predict(_inputs));
    }
}
