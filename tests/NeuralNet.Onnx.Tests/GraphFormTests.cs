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
    public void Gemm_reads_any_non_zero_transB_as_transposed_and_ignores_beta_without_C()
    {
        AssertSamePredictions(Edit(m => m.Graph.Node[0].Attribute.Single(a => a.Name == "transB").I = 2));

        byte[] withoutC = Edit(m =>
        {
            m.Graph.Node[0].Input[2] = string.Empty;
            m.Graph.Node[0].Attribute.Single(a => a.Name == "beta").F = 3f;
        });
        var dense = (Dense<float>)OnnxModel.Import<float>(withoutC).Layers[0];
        dense.Biases.Value.Enumerate().Should().AllSatisfy(b => b.Should().Be(0f));
    }

    [Fact]
    public void A_recorded_loss_that_no_longer_fits_the_graph_is_ignored()
    {
        // Exported as logits with softmax cross-entropy recorded, then edited to end in a Relu: the recorded loss
        // cannot follow a Relu, so the loss comes from the graph and Predict returns what the graph computes.
        var options = new OnnxExportOptions { Output = OnnxOutput.Logits };
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(_network, options));
        model.Graph.Node[^1].Output[0] = "dense1.z";
        model.Graph.Node.Add(Node("Relu", "end", ["dense1.z"], "output"));

        Network<float> imported = OnnxModel.Import<float>(model.ToByteArray());
        imported.Loss.Should().BeSameAs(NeuralNet.Losses.Loss.MeanSquaredError);
        imported.Predict(_inputs).Should().Be(_network.Infer(_inputs).PointwiseMaximum(0f));
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
    [InlineData("add-after-activation", "ONNX node 'late-bias' (op type 'Add') is not supported: an Add is read only as the bias of the Gemm or MatMul right before it, ahead of any activation.")]
    [InlineData("tied-weights", "*its weights 'dense0.weight' are another layer's too; tied weights are not imported.")]
    [InlineData("max-of-three", "*it takes 3 inputs; a Max is read only as Max(x, slope·x)*")]
    [InlineData("slope-of-rank-3", "*its factor 'slope' has shape [1, 1, 1], not a single slope.")]
    [InlineData("batched-weights", "*multiplies by 'dense1.weight' of rank 3*")]
    [InlineData("empty-weights", "*are 16 × 0; a dense layer has at least one input and one output.")]
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
                case "add-after-activation":
                    // Relu(X·W) + b is not a dense layer: the bias would have to come before the Relu.
                    m.Graph.Node[0].Input.RemoveAt(2);
                    m.Graph.Node[2].Input[0] = "dense0.late";
                    m.Graph.Node.Insert(2, Node("Add", "late-bias", ["dense0.a", "dense0.bias"], "dense0.late"));
                    break;
                case "tied-weights":
                    // A second layer naming the first one's weights (16 × 12 read as 12 → 16, then 16 → 12 untransposed).
                    m.Graph.Node[2].Input[1] = "dense0.weight";
                    m.Graph.Node[2].Attribute.Single(a => a.Name == "transB").I = 0;
                    break;
                case "max-of-three":
                    m.Graph.Initializer.Add(Scalar("slope", 0.1f, []));
                    m.Graph.Node[1] = Node("Mul", "scale", ["dense0.z", "slope"], "dense0.scaled");
                    m.Graph.Node.Insert(2, Node("Max", "max", ["dense0.z", "dense0.scaled", "dense0.z"], "dense0.a"));
                    break;
                case "slope-of-rank-3":
                    m.Graph.Initializer.Add(Scalar("slope", 0.1f, [1, 1, 1]));
                    m.Graph.Node[1] = Node("Mul", "scale", ["dense0.z", "slope"], "dense0.scaled");
                    m.Graph.Node.Insert(2, Node("Max", "max", ["dense0.z", "dense0.scaled"], "dense0.a"));
                    break;
                case "batched-weights":
                    m.Graph.Initializer.Single(t => t.Name == "dense1.weight").Dims.Insert(0, 1);
                    break;
                case "empty-weights":
                    TensorProto empty = m.Graph.Initializer.Single(t => t.Name == "dense0.weight");
                    empty.Dims[1] = 0;
                    empty.RawData = ByteString.Empty;
                    break;
            }
        });

        FluentActions.Invoking(() => OnnxModel.Import<float>(model)).Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Fact]
    public void A_Flatten_without_an_output_is_malformed()
    {
        byte[] model = Edit(m =>
        {
            m.Graph.Node[0].Input[0] = "flat";
            var flatten = new NodeProto { OpType = "Flatten", Name = "flatten" };
            flatten.Input.Add("input");
            m.Graph.Node.Insert(0, flatten);
        });
        FluentActions.Invoking(() => OnnxModel.Import<float>(model)).Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'flatten' (Flatten) has 0 outputs; it produces 1.");
    }

    [Fact]
    public void A_name_defined_twice_or_the_default_opset_imported_twice_is_malformed()
    {
        FluentActions.Invoking(() => OnnxModel.Import<float>(Edit(m => m.Graph.Node[1].Output[0] = "dense1.bias")))
            .Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'dense0/Relu' (Relu) defines 'dense1.bias', which is already defined.");
        FluentActions.Invoking(() => OnnxModel.Import<float>(Edit(m => m.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 17 }))))
            .Should().Throw<OnnxFormatException>().WithMessage("*imports the default operator set (ai.onnx) 2 times*");
    }

    [Fact]
    public void Attributes_an_operator_does_not_define_or_values_in_two_fields_are_malformed()
    {
        FluentActions.Invoking(() => OnnxModel.Import<float>(Edit(m => m.Graph.Node[1].Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.1f }))))
            .Should().Throw<OnnxFormatException>().WithMessage("ONNX node 'dense0/Relu' (Relu) has the attribute 'alpha', which Relu does not define.");
        FluentActions.Invoking(() => OnnxModel.Import<float>(Edit(m => m.Graph.Node[0].Attribute.Single(a => a.Name == "transB").F = 0.5f)))
            .Should().Throw<OnnxFormatException>().WithMessage("Attribute 'transB' of ONNX node 'dense0/Gemm' (Gemm) sets value fields other than its INT.");
    }

    private static TensorProto Scalar(string name, float value, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) };
        tensor.Dims.AddRange(dims);
        return tensor;
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
