using System.Numerics;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Preprocessing and names inside the exported model: the input normalisation as Sub then Div, the target scaler as
/// Mul then Add, the names in <c>metadata_props</c>. ONNX Runtime, given raw features, agrees with the network; import
/// reads every one of them back.
/// </summary>
public class ScalingAndNamesTests
{
    private static readonly string[] Features = ["age", "income, net", "größe", "\"quoted\""];
    private static readonly string[] Classes = ["setosa", "versicolor", "virginica"];

    /// <summary>Four raw features on very different scales, as a CSV file gives them.</summary>
    private static Matrix<T> RawFeatures<T>(int rows, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        double[] offsets = [40, 5e4, -3, 0.001];
        double[] scales = [12, 2e4, 0.5, 0.0002];
        return Matrix<T>.Build.Dense(rows, 4, (_, j) => T.CreateChecked(offsets[j] + (scales[j] * ((2 * random.NextDouble()) - 1))));
    }

    private static Network<T> Classifier<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(4)
            .WithFeatureNames(Features)
            .Normalize(new StandardScaler<T>().Fit(RawFeatures<T>(50, 1)))
            .Dense(8, Activation.Relu)
            .Dense(3)
            .WithClassNames(Classes)
            .Build(Loss.SoftmaxCrossEntropy, seed: 3);

    private static Network<T> Regressor<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(4)
            .Normalize(new MinMaxScaler<T>().Fit(RawFeatures<T>(50, 2)))
            .Dense(6, Activation.Tanh)
            .Dense(2)
            .WithTargetScaler(new StandardScaler<T>([T.CreateChecked(250_000), T.CreateChecked(-3.5)], [T.CreateChecked(80_000), T.CreateChecked(0.25)]))
            .Build(Loss.MeanSquaredError, seed: 4);

    private static Matrix<T> Serve<T>(byte[] model, Matrix<T> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(model);
        return OnnxRuntimeRunner.Run(session, inputs);
    }

    /// <summary>The largest difference relative to the largest value of <paramref name="expected"/>.</summary>
    private static double RelativeDifference<T>(Matrix<T> expected, Matrix<T> actual)
        where T : unmanaged, IFloatingPointIeee754<T>
        => OnnxRuntimeRunner.MaxAbsoluteDifference(expected, actual) / Math.Max(1, expected.Enumerate().Max(v => Math.Abs(double.CreateChecked(v))));

    public static TheoryData<OnnxDenseEncoding, int> EncodingsAndOpsets => new()
    {
        { OnnxDenseEncoding.Gemm, 13 },
        { OnnxDenseEncoding.MatMulAdd, 17 },
        { OnnxDenseEncoding.Gemm, 21 },
    };

    [Theory]
    [MemberData(nameof(EncodingsAndOpsets))]
    public void A_normalising_classifier_served_by_ONNX_Runtime_from_raw_features_agrees_with_Predict(OnnxDenseEncoding encoding, int opset)
    {
        Network<float> network = Classifier<float>();
        Matrix<float> raw = RawFeatures<float>(33, 5);

        byte[] model = OnnxModel.ExportToBytes(network, new OnnxExportOptions { DenseEncoding = encoding, OpsetVersion = opset });
        Matrix<float> served = Serve(model, raw);

        RelativeDifference(network.Predict(raw), served).Should().BeLessThan(1e-5);
        ModelProto.Parser.ParseFrom(model).Graph.Node.Take(2).Select(n => n.OpType).Should().Equal("Sub", "Div");
    }

    [Fact]
    public void A_regressor_served_by_ONNX_Runtime_answers_in_the_targets_units_in_both_precisions()
    {
        Network<float> floats = Regressor<float>();
        Network<double> doubles = Regressor<double>();
        Matrix<float> rawFloat = RawFeatures<float>(33, 6);
        Matrix<double> rawDouble = RawFeatures<double>(33, 6);

        Matrix<float> servedFloat = Serve(OnnxModel.ExportToBytes(floats), rawFloat);
        Matrix<double> servedDouble = Serve(OnnxModel.ExportToBytes(doubles), rawDouble);

        RelativeDifference(floats.PredictInTargetUnits(rawFloat), servedFloat).Should().BeLessThan(1e-5);
        RelativeDifference(doubles.PredictInTargetUnits(rawDouble), servedDouble).Should().BeLessThan(1e-12);
        servedDouble.Column(0).Average().Should().BeInRange(1e5, 4e5, "the served output is in the targets' units, not standardised");
        ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(doubles)).Graph.Node.TakeLast(2).Select(n => n.OpType).Should().Equal("Mul", "Add");
    }

    [Fact]
    public void Export_then_import_gives_back_the_normalisation_the_names_and_bit_identical_predictions()
    {
        Network<float> network = Classifier<float>();
        Matrix<float> raw = RawFeatures<float>(12, 7);

        Network<float> imported = OnnxModel.Import<float>(OnnxModel.ExportToBytes(network));

        Normalization<float> layer = imported.Layers[0].Should().BeOfType<Normalization<float>>().Subject;
        layer.Mean.Should().Equal(((Normalization<float>)network.Layers[0]).Mean);
        layer.StandardDeviation.Should().Equal(((Normalization<float>)network.Layers[0]).StandardDeviation);
        imported.FeatureNames.Should().Equal(Features);
        imported.ClassNames.Should().Equal(Classes);
        imported.Predict(raw).ToColumnMajorArray().Should().Equal(network.Predict(raw).ToColumnMajorArray());
        imported.PredictLabels(raw).Should().Equal(network.PredictLabels(raw));
    }

    [Fact]
    public void Export_then_import_gives_back_the_target_scaler_with_bit_identical_predictions_in_target_units()
    {
        Network<double> network = Regressor<double>();
        Matrix<double> raw = RawFeatures<double>(12, 8);

        Network<double> imported = OnnxModel.Import<double>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { DenseEncoding = OnnxDenseEncoding.MatMulAdd }));

        imported.TargetScaler!.Mean.Should().Equal(network.TargetScaler!.Mean);
        imported.TargetScaler.StandardDeviation.Should().Equal(network.TargetScaler.StandardDeviation);
        imported.Loss.Name.Should().Be("mean_squared_error");
        imported.PredictInTargetUnits(raw).ToColumnMajorArray().Should().Equal(network.PredictInTargetUnits(raw).ToColumnMajorArray());
        imported.Predict(raw).ToColumnMajorArray().Should().Equal(network.Predict(raw).ToColumnMajorArray());
    }

    [Fact]
    public void A_graph_written_as_PyTorch_writes_the_scalings_imports_and_matches_ONNX_Runtime()
    {
        // (x - mean) / std with the mean a Constant node and a single std for all features, then Linear, then
        // y * std + mean with scalars: what torch.onnx.export writes for such a module.
        ModelProto model = Hand(m =>
        {
            m.Graph.Node.Add(Constant("mean", Tensor("mean.value", [4], [40f, 5e4f, -3f, 0.001f])));
            m.Graph.Initializer.Add(Tensor("std", [], [2.5f]));
            m.Graph.Node.Add(Node("Sub", "/Sub", ["input", "mean"], "centred"));
            m.Graph.Node.Add(Node("Div", "/Div", ["centred", "std"], "scaled"));
            m.Graph.Initializer.Add(Tensor("w", [4, 2], [0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.2f, 0.01f, 0.7f]));
            m.Graph.Initializer.Add(Tensor("b", [2], [0.5f, -1f]));
            m.Graph.Node.Add(Node("MatMul", "/MatMul", ["scaled", "w"], "xw"));
            m.Graph.Node.Add(Node("Add", "/Add", ["xw", "b"], "z"));
            m.Graph.Initializer.Add(Tensor("ystd", [1, 2], [3f, 0.5f]));
            m.Graph.Initializer.Add(Tensor("ymean", [], [100f]));
            m.Graph.Node.Add(Node("Mul", "/Mul", ["ystd", "z"], "zs"));
            m.Graph.Node.Add(Node("Add", "/Add_1", ["zs", "ymean"], "output"));
        });
        byte[] bytes = model.ToByteArray();
        Matrix<float> raw = RawFeatures<float>(9, 9);

        Network<float> network = OnnxModel.Import<float>(bytes);

        network.Layers[0].Should().BeOfType<Normalization<float>>().Which.StandardDeviation.Should().Equal(2.5f, 2.5f, 2.5f, 2.5f);
        network.TargetScaler!.Mean.Should().Equal(100f, 100f);
        network.TargetScaler.StandardDeviation.Should().Equal(3f, 0.5f);
        RelativeDifference(Serve(bytes, raw), network.PredictInTargetUnits(raw)).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void A_normalisation_layer_that_is_not_first_is_refused_at_export()
    {
        Network<float> network = Network.Sequential(2).Dense(3, Activation.Tanh).Normalize([0f, 0f, 0f], [1f, 2f, 3f]).Dense(1).Build(Loss.MeanSquaredError);
        Network<float> alone = Network.Sequential(2).Normalize([0f, 0f], [1f, 2f]).Build(Loss.MeanSquaredError);

        Action inside = () => OnnxModel.ExportToBytes(network);
        Action nothingElse = () => OnnxModel.ExportToBytes(alone);

        inside.Should().Throw<ArgumentException>().WithMessage("Layer 1, Normalization(3), normalises inside the network; ONNX export writes a normalization layer only as the first layer*");
        nothingElse.Should().Throw<ArgumentException>().WithMessage("*has no dense layer*");
    }

    [Theory]
    [InlineData("sub-without-div", "*'/MatMul'*follows the Sub '/Sub'*x − mean of an input normalisation*")]
    [InlineData("sub-after-layer", "*'/Sub'*on the graph's input before any layer*")]
    [InlineData("div-alone", "*'/Div'*right after its Sub*")]
    [InlineData("zero-std", "*'/Div'*divides feature 2 by 0*positive standard deviation*")]
    [InlineData("negative-scale", "*'/Mul'*multiplies output 0 by -3*")]
    [InlineData("scaling-a-classifier", "*target scaling*softmax_cross_entropy, whose predictions are probabilities*")]
    [InlineData("node-after-target-scaling", "*follows the target scaling*must end the graph*")]
    public void Scalings_outside_the_forms_import_reads_are_named(string form, string message)
    {
        byte[] bytes = Hand(m =>
        {
            m.Graph.Initializer.Add(Tensor("mean", [4], [1f, 2f, 3f, 4f]));
            m.Graph.Initializer.Add(Tensor("std", [4], [1f, 2f, form == "zero-std" ? 0f : 3f, 4f]));
            m.Graph.Initializer.Add(Tensor("w", [4, 2], [0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.2f, 0.01f, 0.7f]));
            m.Graph.Initializer.Add(Tensor("b", [2], [0.5f, -1f]));
            m.Graph.Initializer.Add(Tensor("ystd", [2], [form == "negative-scale" ? -3f : 3f, 0.5f]));
            m.Graph.Initializer.Add(Tensor("ymean", [2], [100f, 1f]));
            string x = "input";
            switch (form)
            {
                case "sub-without-div":
                    m.Graph.Node.Add(Node("Sub", "/Sub", ["input", "mean"], "centred"));
                    x = "centred";
                    break;
                case "div-alone":
                    m.Graph.Node.Add(Node("Div", "/Div", ["input", "std"], "scaled"));
                    x = "scaled";
                    break;
                case "sub-after-layer":
                    break;
                default:
                    m.Graph.Node.Add(Node("Sub", "/Sub", ["input", "mean"], "centred"));
                    m.Graph.Node.Add(Node("Div", "/Div", ["centred", "std"], "scaled"));
                    x = "scaled";
                    break;
            }

            m.Graph.Node.Add(Node("MatMul", "/MatMul", [x, "w"], "xw"));
            m.Graph.Node.Add(Node("Add", "/Add", ["xw", "b"], "z"));
            string last = "z";
            if (form == "sub-after-layer")
            {
                m.Graph.Initializer.Add(Tensor("zmean", [2], [1f, 1f]));
                m.Graph.Node.Add(Node("Sub", "/Sub", ["z", "zmean"], "zc"));
                last = "zc";
            }

            if (form == "scaling-a-classifier")
            {
                NodeProto softmax = Node("Softmax", "/Softmax", ["z"], "p");
                softmax.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                m.Graph.Node.Add(softmax);
                last = "p";
            }

            if (form is "negative-scale" or "scaling-a-classifier" or "node-after-target-scaling")
            {
                m.Graph.Node.Add(Node("Mul", "/Mul", [last, "ystd"], "ys"));
                m.Graph.Node.Add(Node("Add", "/Add_1", ["ys", "ymean"], "output"));
                last = "output";
            }

            if (form == "node-after-target-scaling")
            {
                // ONNX lets nodes read a graph output; the walk goes on past the scaling, which must end the chain.
                m.Graph.Node.Add(Node("Relu", "/Relu", ["output"], "extra"));
            }

            if (last != "output")
            {
                m.Graph.Node.Add(Node("Identity", "/Identity", [last], "output"));
            }
        }).ToByteArray();

        Action act = () => OnnxModel.Import<float>(bytes);

        act.Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Theory]
    [InlineData("neuralnet.class_names", "not json", "*metadata 'neuralnet.class_names' must be a JSON array of strings, but it is not JSON*")]
    [InlineData("neuralnet.class_names", "[\"a\", 1, \"c\"]", "*metadata 'neuralnet.class_names' must be a JSON array of strings, but it is '[\"a\", 1, \"c\"]'*")]
    [InlineData("neuralnet.class_names", "[\"a\", \"b\"]", "*recorded names do not fit*separates 3 classes, so it needs 3 class names, but got 2*")]
    [InlineData("neuralnet.class_names", "[\"a\", \"b\", \"a\"]", "*recorded names do not fit*classes 0 and 2 are both named 'a'*")]
    [InlineData("neuralnet.feature_names", "[\"x\"]", "*recorded names do not fit*takes 4 features, so it needs 4 feature names, but got 1*")]
    public void Recorded_names_that_are_malformed_or_do_not_fit_are_refused(string key, string value, string message)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Classifier<float>()));
        model.MetadataProps.Single(p => p.Key == key).Value = value;
        byte[] bytes = model.ToByteArray();

        Action act = () => OnnxModel.Import<float>(bytes);

        act.Should().Throw<OnnxFormatException>().WithMessage(message);
    }

    [Fact]
    public void Names_are_recorded_as_JSON_arrays_in_the_models_metadata()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Classifier<double>()));

        string features = model.MetadataProps.Single(p => p.Key == "neuralnet.feature_names").Value;
        string classes = model.MetadataProps.Single(p => p.Key == "neuralnet.class_names").Value;

        System.Text.Json.JsonSerializer.Deserialize<string[]>(features).Should().Equal(Features);
        System.Text.Json.JsonSerializer.Deserialize<string[]>(classes).Should().Equal(Classes);
        ModelProto.Parser.ParseFrom(OnnxModel.ExportToBytes(Regressor<double>())).MetadataProps.Select(p => p.Key).Should().NotContain(["neuralnet.feature_names", "neuralnet.class_names"]);
    }

    /// <summary>A hand-written model of one float input "input" (batch × 4) and one output "output", at opset 13.</summary>
    private static ModelProto Hand(Action<ModelProto> build)
    {
        var graph = new GraphProto { Name = "hand" };
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        graph.Input.Add(ValueInfo("input", 4));
        graph.Output.Add(ValueInfo("output", -1));
        build(model);
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, long features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(features < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "outputs" } : new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static NodeProto Constant(string output, TensorProto value)
    {
        NodeProto node = Node("Constant", $"/Constant_{output}", [], output);
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });
        return node;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
