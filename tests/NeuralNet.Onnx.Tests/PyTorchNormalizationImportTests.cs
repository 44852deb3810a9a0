using System.Buffers.Binary;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx.Protos;
using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// PyTorch's BatchNorm1d and LayerNorm, as torch.onnx.export writes them at opset 17 in eval mode, import as NeuralNet's
/// batch and layer normalisation layers (running statistics included), reproduce PyTorch's outputs, train on and save.
/// </summary>
public class PyTorchNormalizationImportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("batchnorm_dropout")]
    [InlineData("layernorm_gelu")]
    [InlineData("toolkit_activations_norms")]
    public void PyTorch_exports_with_normalisations_reproduce_PyTorch_within_1e5(string name)
    {
        Fixture fixture = Fixture.Load(name);
        fixture.Dtype.Should().Be("float32");
        Network<float> network = OnnxModel.Import<float>(fixture.Path);

        double difference = OnnxRuntimeRunner.MaxAbsoluteDifference(network.Predict(Fixture.ToMatrix<float>(fixture.Input)), Fixture.ToMatrix<float>(fixture.Output));
        output.WriteLine($"{name}: max |NeuralNet − PyTorch| = {difference:G3}");
        difference.Should().BeLessThanOrEqualTo(PyTorchImportTests.FloatBound);
    }

    [Fact]
    public void BatchNorm1d_imports_as_batch_normalisation_with_PyTorch_s_running_statistics_and_dropout_leaves_no_layer()
    {
        Fixture fixture = Fixture.Load("batchnorm_dropout");
        Network<float> network = OnnxModel.Import<float>(fixture.Path);

        network.Layers.Select(l => l.ToString()).Should().Equal(
            "Dense(6→10, relu)", "BatchNormalization(10)", "Dense(10→8, relu)", "BatchNormalization(8)", "Dense(8→3, identity)");
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fixture.Path));
        NodeProto[] nodes = [.. model.Graph.Node.Where(n => n.OpType == "BatchNormalization")];
        BatchNormalization<float>[] layers = [.. network.Layers.OfType<BatchNormalization<float>>()];
        for (int k = 0; k < layers.Length; k++)
        {
            layers[k].Momentum.Should().Be(0.1, "PyTorch's momentum 0.1 is written as ONNX's 0.9");
            layers[k].Epsilon.Should().Be(1e-5);
            layers[k].Gamma.Value.Row(0).ToArray().Should().Equal(Initializer(model, nodes[k].Input[1]));
            layers[k].Beta.Value.Row(0).ToArray().Should().Equal(Initializer(model, nodes[k].Input[2]));
            layers[k].RunningMean.Should().Equal(Initializer(model, nodes[k].Input[3]));
            layers[k].RunningVariance.Should().Equal(Initializer(model, nodes[k].Input[4]));
            layers[k].RunningMean.Should().NotContain(0f, "the fixture's warm-up batches moved every running mean");
        }
    }

    [Fact]
    public void LayerNorm_and_the_toolkit_activations_import_as_their_NeuralNet_components()
    {
        Network<float> gelu = OnnxModel.Import<float>(Fixture.Load("layernorm_gelu").Path);
        gelu.Layers.Select(l => l.GetType()).Should().Equal(
            typeof(Dense<float>), typeof(LayerNormalization<float>), typeof(Dense<float>), typeof(LayerNormalization<float>), typeof(Dense<float>));
        gelu.Layers.OfType<Dense<float>>().Select(l => l.Activation.GetType()).Should().Equal(typeof(Gelu), typeof(Gelu), typeof(Identity));

        Network<float> toolkit = OnnxModel.Import<float>(Fixture.Load("toolkit_activations_norms").Path);
        toolkit.Layers.Select(l => l.ToString()).Should().Equal(
            "Dense(4→7, elu(0.7))", "BatchNormalization(7)", "Dense(7→6, selu)", "LayerNormalization(6)", "Dense(6→6, softplus)", "Dense(6→5, silu)", "BatchNormalization(5)");
        ((LayerNormalization<float>)toolkit.Layers[3]).Epsilon.Should().Be(1e-3, "nn.LayerNorm(6, eps=1e-3)");
        ((BatchNormalization<float>)toolkit.Layers[6]).Momentum.Should().Be(0.2, "nn.BatchNorm1d(5, momentum=0.2) is written as ONNX's 0.8");
        toolkit.Loss.Should().BeSameAs(Loss.MeanSquaredError, "a graph ending in a normalisation ends without an activation");
    }

    [Fact]
    public void An_imported_network_with_batch_normalisation_trains_further_and_saves_with_its_running_statistics()
    {
        Fixture fixture = Fixture.Load("batchnorm_dropout");
        Network<float> network = OnnxModel.Import<float>(fixture.Path, new OnnxImportOptions { Loss = Loss.SoftmaxCrossEntropy });
        var norm = (BatchNormalization<float>)network.Layers[1];
        float[] importedMean = [.. norm.RunningMean];

        // Labels the imported network mostly gets wrong: its own predictions shifted by one class.
        Matrix<float> inputs = Architectures.Inputs<float>(96, 6, seed: 21);
        int[] labels = [.. network.PredictClasses(inputs).Select(c => (c + 1) % 3)];
        double before = network.Accuracy(inputs, labels);
        TrainingHistory history = network.Fit(inputs, labels, new TrainingOptions { Epochs = 60, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(32), Seed = 4 });

        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss);
        network.Accuracy(inputs, labels).Should().BeGreaterThan(before + 0.3);
        norm.RunningMean.Should().NotEqual(importedMean, "training mode moved the running statistics");

        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        Network<float> loaded = Network.Load<float>(stream);
        var loadedNorm = (BatchNormalization<float>)loaded.Layers[1];
        loadedNorm.RunningMean.Should().Equal(norm.RunningMean);
        loadedNorm.RunningVariance.Should().Equal(norm.RunningVariance);
        loaded.Predict(inputs).Should().Be(network.Predict(inputs));
    }

    [Fact]
    public void An_activation_after_a_batch_normalisation_is_refused_by_name()
    {
        // nn.Linear, nn.BatchNorm1d, nn.ReLU: NeuralNet's activations belong to dense layers, so the ReLU has no place.
        Action import = () => OnnxModel.Import<float>(Fixture.Load("unsupported_batchnorm_before_relu").Path);

        import.Should().Throw<NotSupportedException>()
            .WithMessage("ONNX node '/2/Relu' (op type 'Relu') is not supported: an activation right after a batch or layer normalisation has no NeuralNet form*Linear, ReLU, BatchNorm1d*");
    }

    [Theory]
    [InlineData("training_mode", "*'/2/BatchNormalization' (op type 'BatchNormalization') is not supported: training_mode is 1*eval mode*")]
    [InlineData("momentum", "*'/2/BatchNormalization' (op type 'BatchNormalization') is not supported: momentum 1 is outside*1 − momentum, in (0, 1]*")]
    [InlineData("spatial", "*'/2/BatchNormalization' (op type 'BatchNormalization') is not supported: spatial is 0*")]
    public void A_batch_normalisation_NeuralNet_cannot_hold_is_refused_by_name(string attribute, string message)
    {
        ModelProto model = Load("batchnorm_dropout");
        NodeProto node = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        if (node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } existing)
        {
            node.Attribute.Remove(existing);
        }

        node.Attribute.Add(attribute == "momentum"
            ? new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Float, F = 1f }
            : new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = attribute == "spatial" ? 0 : 1 });

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());
        import.Should().Throw<NotSupportedException>().WithMessage(message);
    }

    [Fact]
    public void Running_statistics_of_the_wrong_shape_are_a_format_error()
    {
        ModelProto model = Load("batchnorm_dropout");
        NodeProto node = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        TensorProto mean = model.Graph.Initializer.Single(t => t.Name == node.Input[3]);
        mean.Dims.Clear();
        mean.Dims.Add([5, 2]);

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());
        import.Should().Throw<OnnxFormatException>().WithMessage($"The tensor '{mean.Name}' of ONNX node '/2/BatchNormalization' (BatchNormalization) has shape [5, 2]; for 10 features it must be [10].");
    }

    [Fact]
    public void A_negative_running_variance_is_a_format_error()
    {
        ModelProto model = Load("batchnorm_dropout");
        NodeProto node = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        TensorProto variance = model.Graph.Initializer.Single(t => t.Name == node.Input[4]);
        byte[] raw = variance.RawData.ToByteArray();
        BinaryPrimitives.WriteSingleLittleEndian(raw, -0.5f);
        variance.RawData = Google.Protobuf.ByteString.CopyFrom(raw);

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());
        import.Should().Throw<OnnxFormatException>().WithMessage("ONNX node '/2/BatchNormalization' (BatchNormalization) does not make a valid batch_normalization layer: *running_variance*");
    }

    [Fact]
    public void A_layer_normalisation_over_another_axis_is_refused_by_name()
    {
        ModelProto model = Load("layernorm_gelu");
        NodeProto node = model.Graph.Node.First(n => n.OpType == "LayerNormalization");
        node.Attribute.Single(a => a.Name == "axis").I = 0;

        Action import = () => OnnxModel.Import<float>(model.ToByteArray());
        import.Should().Throw<NotSupportedException>().WithMessage("ONNX node '/2/LayerNormalization' (op type 'LayerNormalization') is not supported: LayerNormalization over axis 0 is not over each sample's features*");
    }

    [Fact]
    public void Normalisations_count_towards_the_layer_cap()
    {
        // 1,030 batch normalisations in a row, sharing PyTorch's tensors: each would be a layer of its own.
        ModelProto model = Load("batchnorm_dropout");
        int first = model.Graph.Node.IndexOf(model.Graph.Node.First(n => n.OpType == "BatchNormalization"));
        NodeProto template = model.Graph.Node[first];
        string previous = template.Output[0];
        for (int k = 0; k < 1030; k++)
        {
            NodeProto copy = template.Clone();
            copy.Name = $"extra{k}";
            copy.Input[0] = previous;
            copy.Output[0] = previous = $"extra{k}.out";
            model.Graph.Node.Insert(first + 1 + k, copy);
        }

        model.Graph.Node[first + 1031].Input[0] = previous;
        Action import = () => OnnxModel.Import<float>(model.ToByteArray());

        import.Should().Throw<NotSupportedException>().WithMessage("The ONNX graph has more than 1,024 layers; NeuralNet imports at most 1,024*");
    }

    [Fact]
    public void A_batch_normalisation_of_the_inputs_imports_as_the_first_layer()
    {
        Network<double> network = Network.Sequential<double>(4).BatchNormalization().Dense(3, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 2);
        Matrix<double> inputs = Architectures.Inputs<double>(30, 4, seed: 8);
        network.Fit(inputs, Architectures.Inputs<double>(30, 2, seed: 9), new TrainingOptions { Epochs = 3, GradientDescent = new MiniBatchGradientDescent(10), Seed = 1 });

        Network<double> imported = OnnxModel.Import<double>(OnnxModel.ExportToBytes(network, new OnnxExportOptions { OpsetVersion = 17 }));

        imported.Layers.Select(l => l.ToString()).Should().Equal("BatchNormalization(4)", "Dense(4→3, tanh)", "Dense(3→2, identity)");
        imported.Predict(inputs).Should().Be(network.Predict(inputs));
    }

    private static ModelProto Load(string name) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture.Load(name).Path));

    private static float[] Initializer(ModelProto model, string name)
    {
        TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == name);
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        return [.. Enumerable.Range(0, raw.Length / 4).Select(k => BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span[(4 * k)..]))];
    }
}
