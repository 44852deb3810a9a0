using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// ELU, SELU, GELU (exact and tanh), SiLU and softplus in ONNX: exports run in ONNX Runtime and give NeuralNet's
/// predictions, import back as the same activation, and PyTorch's exports of them import and reproduce PyTorch.
/// </summary>
public class ToolkitActivationOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static readonly string[] ActivationNames = ["elu", "selu", "gelu", "gelu_tanh", "silu", "softplus"];

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string name in ActivationNames)
        {
            foreach (int opset in new[] { OnnxExportOptions.MinimumOpsetVersion, 17, 20, OnnxExportOptions.MaximumOpsetVersion })
            {
                cases.Add(name, opset);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_exports_run_in_ONNX_Runtime_and_match_predictions(string name, int opset)
    {
        Network<float> network = Build<float>(name);
        double difference = CompareWithRuntime(network, opset);
        output.WriteLine($"{name} float, opset {opset}: max |ONNX Runtime − Predict| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(OnnxRuntimeExportTests.FloatBound);
    }

    /// <summary>
    /// The double exports ONNX Runtime's CPU provider runs: it has no double kernel for Elu, Selu, Softplus, Erf nor
    /// (exact) Gelu, so double networks with ELU, SELU, softplus or exact GELU export valid ONNX that import reads back
    /// (<see cref="Double_exports_import_back_exactly"/>) but ONNX Runtime's CPU provider cannot run.
    /// </summary>
    public static TheoryData<string, int> DoubleRuntimeCases() => new()
    {
        { "silu", 13 }, { "silu", 17 }, { "silu", 20 }, { "silu", 21 },
        { "gelu_tanh", 13 }, { "gelu_tanh", 17 }, { "gelu_tanh", 20 }, { "gelu_tanh", 21 },
    };

    [Theory]
    [MemberData(nameof(DoubleRuntimeCases))]
    public void Double_exports_run_in_ONNX_Runtime_where_it_has_the_kernels_and_match_predictions(string name, int opset)
    {
        Network<double> network = Build<double>(name);
        double difference = CompareWithRuntime(network, opset);
        output.WriteLine($"{name} double, opset {opset}: max |ONNX Runtime − Predict| = {difference:G3}");

        // ONNX Runtime's own Gelu(approximate="tanh") kernel agrees with the formula to 6.3e-11 in double, not to the last bits.
        difference.Should().BeLessThanOrEqualTo(opset >= 20 && name == "gelu_tanh" ? 1e-9 : OnnxRuntimeExportTests.DoubleBound);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_exports_import_back_exactly(string name, int opset)
    {
        Network<double> network = Build<double>(name);

        Network<double> imported = OnnxModel.Import<double>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset }));

        imported.Layers[0].Activation!.GetConfig().Should().Be(network.Layers[0].Activation!.GetConfig());
        Matrix<double> inputs = Inputs<double>();
        imported.Predict(inputs).Should().Be(network.Predict(inputs));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exports_import_back_as_the_same_activation_and_predict_the_same(string name, int opset)
    {
        Network<float> network = Build<float>(name);

        Network<float> imported = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset }));

        Activation expected = ((Dense<float>)network.Layers[0]).Activation;
        Activation actual = ((Dense<float>)imported.Layers[0]).Activation;
        actual.Should().BeOfType(expected.GetType());
        actual.GetConfig().Should().Be(expected.GetConfig());
        Matrix<float> inputs = Inputs<float>();
        imported.Predict(inputs).Should().Be(network.Predict(inputs), "the weights and the function are the same");
    }

    [Theory]
    [InlineData("gelu", 13, new[] { "Div", "Erf", "Add", "Mul", "Mul" })]
    [InlineData("gelu", 20, new[] { "Gelu" })]
    [InlineData("gelu_tanh", 17, new[] { "Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul" })]
    [InlineData("gelu_tanh", 21, new[] { "Gelu" })]
    [InlineData("silu", 21, new[] { "Sigmoid", "Mul" })]
    [InlineData("elu", 13, new[] { "Elu" })]
    [InlineData("selu", 13, new[] { "Selu" })]
    [InlineData("softplus", 13, new[] { "Softplus" })]
    public void Each_is_written_as_its_operator_or_as_PyTorch_writes_its_formula(string name, int opset, string[] opTypes)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Build<float>(name), new OnnxExportOptions { OpsetVersion = opset }));

        // The first layer's Gemm, then the activation's nodes, then the output layer's Gemm.
        model.Graph.Node.Select(n => n.OpType).Should().Equal(["Gemm", .. opTypes, "Gemm"]);
        if (name == "gelu_tanh" && opset >= 20)
        {
            model.Graph.Node[1].Attribute.Should().ContainSingle(a => a.Name == "approximate").Which.S.ToStringUtf8().Should().Be("tanh");
        }
    }

    [Theory]
    [InlineData("gelu_erf")]
    [InlineData("gelu_tanh_formula")]
    [InlineData("silu_elu")]
    [InlineData("selu_softplus")]
    public void PyTorch_exports_import_and_reproduce_PyTorch_within_1e5(string name)
    {
        Fixture fixture = Fixture.Load(name);
        Network<float> network = OnnxModel.Import<float>(fixture.Path);

        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(network.Predict(Fixture.ToMatrix<float>(fixture.Input)), Fixture.ToMatrix<float>(fixture.Output));
        output.WriteLine($"{name}: max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(PyTorchImportTests.FloatBound);
    }

    [Fact]
    public void PyTorch_s_double_GELU_imports_as_double_and_reproduces_PyTorch_within_1e12()
    {
        Fixture fixture = Fixture.Load("gelu_double");
        Network<double> network = OnnxModel.Import<double>(fixture.Path);

        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(network.Predict(Fixture.ToMatrix<double>(fixture.Input)), Fixture.ToMatrix<double>(fixture.Output));
        output.WriteLine($"gelu_double: max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(PyTorchImportTests.DoubleBound);
    }

    [Theory]
    [InlineData("gelu_erf", new[] { typeof(Gelu), typeof(Identity) })]
    [InlineData("gelu_tanh_formula", new[] { typeof(GeluTanh), typeof(Identity) })]
    [InlineData("silu_elu", new[] { typeof(Silu), typeof(Elu), typeof(Identity) })]
    [InlineData("selu_softplus", new[] { typeof(Selu), typeof(Softplus), typeof(Identity) })]
    public void PyTorch_s_formulas_are_read_as_one_activation_per_layer(string name, Type[] activations)
    {
        Network<float> network = OnnxModel.Import<float>(Fixture.Load(name).Path);

        network.Layers.Select(l => l.Activation!.GetType()).Should().Equal(activations);
        if (name == "silu_elu")
        {
            ((Elu)network.Layers[1].Activation!).Alpha.Should().Be(0.5);
        }
    }

    [Fact]
    public void A_GELU_formula_with_another_constant_is_not_read_as_GELU()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Build<float>("gelu"), new OnnxExportOptions { OpsetVersion = 13 }));
        TensorProto half = model.Graph.Initializer.Single(t => t.Name == "dense0.c_half");
        half.RawData = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(0.4f));

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());

        import.Should().Throw<NotSupportedException>().WithMessage("ONNX node 'dense0/Gelu/Div' (op type 'Div') is not supported*");
    }

    [Fact]
    public void A_SiLU_whose_sigmoid_is_also_read_elsewhere_is_not_fused()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Build<float>("silu")));
        model.Graph.Output.Add(new ValueInfoProto { Name = "dense0.t1" });

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());

        import.Should().Throw<NotSupportedException>();
    }

    [Theory]
    [InlineData(1.5f, 1.0507010221481323f, "*Selu alpha 1.5 and gamma 1.050701*")]
    [InlineData(1.6732632f, 2f, "*gamma 2 are not the self-normalising constants*")]
    public void A_Selu_with_other_constants_is_refused(float alpha, float gamma, string message)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Build<float>("selu")));
        NodeProto selu = model.Graph.Node.Single(n => n.OpType == "Selu");
        selu.Attribute.Single(a => a.Name == "alpha").F = alpha;
        selu.Attribute.Single(a => a.Name == "gamma").F = gamma;

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());

        import.Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Fact]
    public void A_Gelu_node_below_opset_20_is_refused_as_undefined_there()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Build<float>("gelu"), new OnnxExportOptions { OpsetVersion = 20 }));
        model.OpsetImport.Single().Version = 17;

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());

        import.Should().Throw<NotSupportedException>().WithMessage("*Gelu is defined from opset 20, but the model imports opset 17*");
    }

    [Theory]
    [InlineData("huber")]
    [InlineData("mean_absolute_error")]
    [InlineData("weighted")]
    public void Losses_do_not_export_their_hyper_parameters_and_are_given_again_on_import(string name)
    {
        Loss loss = name switch
        {
            "huber" => Loss.Huber(0.5),
            "mean_absolute_error" => Loss.MeanAbsoluteError,
            _ => Loss.WeightedSoftmaxCrossEntropy([1.0, 2.0, 3.0]),
        };
        Network<float> network = Network.Sequential<float>(6).Dense(5, Activation.Gelu).Dense(3).Build(loss, seed: 2);
        byte[] model = OnnxModel.ExportToBytes(network);

        Network<float> plain = OnnxModel.Import<float>(model);
        Network<float> given = OnnxModel.Import<float>(model, new OnnxImportOptions { Loss = loss });

        // The graph computes what Predict returns; the file records the loss's name only, so a loss that needs
        // hyper-parameters (Huber's δ) falls back to the one the graph's ending implies, and class weights stay behind.
        plain.Loss.Should().BeOfType(name == "weighted" ? typeof(SoftmaxCrossEntropy) : name == "huber" ? typeof(MeanSquaredError) : typeof(MeanAbsoluteError));
        plain.Loss.GetConfig().Count.Should().Be(0);
        given.Loss.Should().BeSameAs(loss);
        Matrix<float> inputs = Inputs<float>();
        given.Predict(inputs).Should().Be(network.Predict(inputs));
    }

    /// <summary>A 6 → 10 → 3 regression network whose hidden layer has the activation, with random biases.</summary>
    private static Network<T> Build<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activation activation = name switch
        {
            "elu" => Activation.Elu(0.75),
            "selu" => Activation.Selu,
            "gelu" => Activation.Gelu,
            "gelu_tanh" => Activation.GeluTanh,
            "silu" => Activation.Silu,
            "softplus" => Activation.Softplus,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a new activation"),
        };
        Network<T> network = Network.Sequential<T>(6).Dense(10, activation).Dense(3).Build(Loss.MeanSquaredError, seed: 9);
        var random = new Random(4);
        foreach (Parameter<T> parameter in network.Parameters)
        {
            // Weights of up to ±4 on inputs of up to ±8: pre-activations reach past softplus's threshold 20 and deep
            // into GELU's tails.
            parameter.Value.MapInplace(_ => T.CreateChecked((random.NextDouble() * 8) - 4));
        }

        return network;
    }

    private static Matrix<T> Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Architectures.Inputs<T>(40, 6, seed: 12).Map(v => v * T.CreateChecked(2));

    private double CompareWithRuntime<T>(Network<T> network, int opset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] model = OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = opset });
        using var session = new InferenceSession(model);
        Matrix<T> inputs = Inputs<T>();
        Matrix<T> expected = network.Predict(inputs);
        Matrix<T> served = OnnxRuntimeRunner.Run(session, inputs);

        // Relative to the output's size: the pre-activations are large on purpose, so the outputs reach the hundreds.
        double scale = Math.Max(1, expected.Enumerate().Max(v => Math.Abs(double.CreateChecked(v))));
        double pre = ((Dense<T>)network.Layers[0]).Infer(inputs).Enumerate().Max(v => Math.Abs(double.CreateChecked(v)));
        output.WriteLine($"largest |pre-activation| {pre:G3}, largest |output| {scale:G3}");
        return OnnxRuntimeRunner.MaxAbsoluteDifference(served, expected) / scale;
    }
}
