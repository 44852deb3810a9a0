using System.Buffers.Binary;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Saving and loading models: a round trip must reproduce the architecture and every bit of every weight (so
/// predictions are bit-identical), every kind of bad content must surface as <see cref="ModelFormatException"/>,
/// and saving to a path must never leave a half-written or stray file behind.
/// </summary>
public sealed class SaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-saveload-tests-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string PathFor(string name) => Path.Combine(_directory, name);

    // The short loss names of the theory data, by the names the losses are registered under.
    private static readonly Dictionary<string, string> LossNames = new()
    {
        ["mse"] = "mean_squared_error",
        ["softmax"] = "softmax_cross_entropy",
        ["sigmoid"] = "sigmoid_binary_cross_entropy",
    };

    /// <summary>
    /// Every activation (leaky ReLU with a non-default slope) and every initialiser, for weights or biases, in one
    /// network; most biases come from non-zero initialisers so that their values are really checked.
    /// </summary>
    private static Network<T> EveryComponent<T>(Loss loss, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = loss is SigmoidBinaryCrossEntropy ? 1 : 3;
        return Network.Sequential<T>(4)
            .Dense(5, Activation.Sigmoid, Initializer.GlorotUniform, Initializer.RandomNormal(0.3))
            .Dense(5, Activation.Tanh, Initializer.GlorotNormal, Initializer.HeNormal)
            .Dense(4, Activation.Relu, Initializer.HeUniform, Initializer.GlorotUniform)
            .Dense(4, Activation.LeakyRelu(0.2), Initializer.HeNormal, Initializer.HeUniform)
            .Dense(4, Activation.Softmax, Initializer.RandomNormal(0.7), Initializer.GlorotNormal)
            .Dense(outputs, Activation.Identity, Initializer.GlorotUniform, Initializer.Zeros)
            .Build(loss, seed);
    }

    private static Network<double> Small(int seed) => Network.Sequential<double>(3).Dense(2, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed);

    /// <summary>Inputs drawn uniformly from [−3, 3).</summary>
    private static Matrix<T> Inputs<T>(int rows, int columns, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TestData.RandomMatrix<T>(new Random(seed), rows, columns, limit: 3);

    /// <summary>Bit patterns (widened to double, which keeps every float's bits distinct), so -0 and 0 differ too.</summary>
    private static long[] Bits<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. matrix.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v)))];

    private static void ShouldBeTheSameModel<T>(Network<T> loaded, Network<T> original)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        loaded.Loss.Should().BeSameAs(original.Loss);
        loaded.Layers.Should().HaveSameCount(original.Layers);
        for (int l = 0; l < original.Layers.Count; l++)
        {
            var expected = (Dense<T>)original.Layers[l];
            loaded.Layers[l].Should().BeOfType<Dense<T>>();
            var actual = (Dense<T>)loaded.Layers[l];
            (actual.InputSize, actual.OutputSize).Should().Be((expected.InputSize, expected.OutputSize), $"layer {l} keeps its shape");
            actual.Activation.Should().BeOfType(expected.Activation.GetType(), $"layer {l} keeps its activation");
            if (expected.Activation is LeakyRelu leaky)
            {
                ((LeakyRelu)actual.Activation).Slope.Should().Be(leaky.Slope);
            }

            actual.WeightInitializer.Should().BeOfType(expected.WeightInitializer.GetType(), $"layer {l} keeps its weight initialiser");
            actual.BiasInitializer.Should().BeOfType(expected.BiasInitializer.GetType(), $"layer {l} keeps its bias initialiser");
            foreach ((Initializer a, Initializer e) in new[] { (actual.WeightInitializer, expected.WeightInitializer), (actual.BiasInitializer, expected.BiasInitializer) })
            {
                if (e is RandomNormal normal)
                {
                    ((RandomNormal)a).StandardDeviation.Should().Be(normal.StandardDeviation);
                }
            }

            Bits(actual.Weights.Value).Should().Equal(Bits(expected.Weights.Value), $"layer {l}'s weights are stored exactly");
            Bits(actual.Biases.Value).Should().Equal(Bits(expected.Biases.Value), $"layer {l}'s biases are stored exactly");
        }

        Matrix<T> inputs = Inputs<T>(7, original.InputSize, seed: 99);
        Bits(loaded.Predict(inputs)).Should().Equal(Bits(original.Predict(inputs)), "predictions must be bit-identical");
        Bits(loaded.Infer(inputs)).Should().Equal(Bits(original.Infer(inputs)));
    }

    private void RoundTrip<T>(string lossName, bool viaFile, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> original = EveryComponent<T>(Named.Loss(LossNames[lossName]), seed);
        Network<T> loaded;
        if (viaFile)
        {
            string path = PathFor($"{lossName}-{typeof(T).Name}.model");
            original.Save(path);
            loaded = Network.Load<T>(path);
        }
        else
        {
            using var stream = new MemoryStream();
            original.Save(stream);
            stream.Position = 0;
            loaded = Network.Load<T>(stream);
        }

        ShouldBeTheSameModel(loaded, original);
    }

    [Theory]
    [InlineData("mse", true)]
    [InlineData("mse", false)]
    [InlineData("softmax", true)]
    [InlineData("softmax", false)]
    [InlineData("sigmoid", true)]
    [InlineData("sigmoid", false)]
    public void A_double_network_round_trips_exactly(string loss, bool viaFile) => RoundTrip<double>(loss, viaFile, seed: 21);

    [Theory]
    [InlineData("mse", true)]
    [InlineData("mse", false)]
    [InlineData("softmax", true)]
    [InlineData("softmax", false)]
    [InlineData("sigmoid", true)]
    [InlineData("sigmoid", false)]
    public void A_float_network_round_trips_exactly(string loss, bool viaFile) => RoundTrip<float>(loss, viaFile, seed: 22);

    [Fact]
    public void A_trained_network_round_trips_exactly_and_keeps_training_like_the_original()
    {
        Network<double> original = Small(seed: 3);
        Matrix<double> inputs = Inputs<double>(12, 3, seed: 31);
        int[] labels = TestData.Interleaved(12, 2);
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, GradientDescent = new BatchGradientDescent() };
        original.Fit(inputs, labels, options);
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        Network<double> loaded = Network.Load<double>(stream);

        ShouldBeTheSameModel(loaded, original);

        // The loaded copy is a full network: the same further training gives the same bits.
        original.Fit(inputs, labels, options);
        loaded.Fit(inputs, labels, options);
        ShouldBeTheSameModel(loaded, original);
    }

    [Fact]
    public void Loading_with_the_other_precision_throws_naming_both()
    {
        using var doubles = new MemoryStream();
        EveryComponent<double>(Loss.MeanSquaredError, seed: 1).Save(doubles);
        using var floats = new MemoryStream();
        EveryComponent<float>(Loss.MeanSquaredError, seed: 1).Save(floats);
        doubles.Position = 0;
        floats.Position = 0;

        Action doubleAsFloat = () => Network.Load<float>(doubles);
        Action floatAsDouble = () => Network.Load<double>(floats);

        doubleAsFloat.Should().Throw<ModelFormatException>().WithMessage("*float64*Single*float32*");
        floatAsDouble.Should().Throw<ModelFormatException>().WithMessage("*float32*Double*float64*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void An_unknown_format_version_throws_naming_it(int version)
    {
        byte[] content = Encode(Small(seed: 4));
        BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(8, 4)).Should().Be(3, "the format puts version 3 right after the 8-byte magic");
        BinaryPrimitives.WriteInt32LittleEndian(content.AsSpan(8, 4), version);

        Action act = () => Network.Load<double>(new MemoryStream(content));

        act.Should().Throw<ModelFormatException>().WithMessage($"*version 1 to 3*version {version}*");
    }

    [Fact]
    public void Any_changed_byte_after_the_header_is_caught_by_the_checksum()
    {
        byte[] content = Encode(Small(seed: 5));

        // Every byte after magic and version, the trailer included, and several kinds of change to it.
        for (int offset = 12; offset < content.Length; offset++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                byte[] corrupt = (byte[])content.Clone();
                corrupt[offset] ^= mask;

                Action act = () => Network.Load<double>(new MemoryStream(corrupt));

                act.Should().Throw<ModelFormatException>($"byte {offset} was changed by 0x{mask:X2}").WithMessage("*checksum*");
            }
        }
    }

    [Fact]
    public void A_changed_byte_in_the_header_throws_a_format_exception()
    {
        byte[] content = Encode(Small(seed: 6));

        for (int offset = 0; offset < 12; offset++)
        {
            byte[] corrupt = (byte[])content.Clone();
            corrupt[offset] ^= 0x10;

            Action act = () => Network.Load<double>(new MemoryStream(corrupt));

            act.Should().Throw<ModelFormatException>($"byte {offset} of the header was changed");
        }
    }

    [Fact]
    public void Every_truncation_throws_a_format_exception()
    {
        string path = PathFor("truncated.model");
        byte[] content = Encode(Small(seed: 7));

        for (int length = 0; length < content.Length; length++)
        {
            byte[] truncated = content[..length];

            Action fromStream = () => Network.Load<double>(new MemoryStream(truncated));

            fromStream.Should().Throw<ModelFormatException>($"the content was cut to {length} of {content.Length} bytes");
        }

        File.WriteAllBytes(path, content[..(content.Length / 2)]);
        Action fromFile = () => Network.Load<double>(path);
        fromFile.Should().Throw<ModelFormatException>();
    }

    [Fact]
    public void Content_that_is_not_a_model_throws_a_format_exception()
    {
        var random = new Random(8);
        byte[] noise = new byte[300];
        random.NextBytes(noise);
        byte[] magicThenNoise = [.. "NEURALNT"u8.ToArray(), 1, 0, 0, 0, .. noise];

        Action empty = () => Network.Load<double>(new MemoryStream());
        Action randomBytes = () => Network.Load<double>(new MemoryStream(noise));
        Action text = () => Network.Load<double>(new MemoryStream("epoch,loss\n1,0.5\n"u8.ToArray()));
        Action headerOnly = () => Network.Load<double>(new MemoryStream(magicThenNoise));

        empty.Should().Throw<ModelFormatException>().WithMessage("*NEURALNT*0 bytes*");
        randomBytes.Should().Throw<ModelFormatException>().WithMessage("*NEURALNT*");
        text.Should().Throw<ModelFormatException>().WithMessage("*NEURALNT*");
        headerOnly.Should().Throw<ModelFormatException>().WithMessage("*checksum*");
    }

    [Fact]
    public void Saving_to_a_path_replaces_an_existing_file_and_leaves_nothing_else()
    {
        string path = PathFor("model.nn");
        File.WriteAllText(path, "an older file that is not even a model");
        Network<double> first = Small(seed: 9);
        Network<double> second = Small(seed: 10);

        first.Save(path);
        ShouldBeTheSameModel(Network.Load<double>(path), first);
        second.Save(path);

        ShouldBeTheSameModel(Network.Load<double>(path), second);
        Directory.GetFileSystemEntries(_directory).Should().Equal(path);
    }

    [Fact]
    public void Saving_into_a_directory_that_does_not_exist_throws_and_creates_nothing()
    {
        string missing = PathFor("missing");
        string existing = PathFor("kept.nn");
        Small(seed: 11).Save(existing);
        byte[] before = File.ReadAllBytes(existing);

        Action act = () => Small(seed: 12).Save(Path.Combine(missing, "model.nn"));

        act.Should().Throw<IOException>();
        Directory.Exists(missing).Should().BeFalse();
        Directory.GetFileSystemEntries(_directory).Should().Equal(existing);
        File.ReadAllBytes(existing).Should().Equal(before);
    }

    [Fact]
    public void A_save_that_fails_after_writing_aside_removes_its_temporary_file()
    {
        // The target is a directory: the content is written beside it, then the rename over it fails.
        string target = PathFor("model.nn");
        Directory.CreateDirectory(target);
        string inside = Path.Combine(target, "keep.txt");
        File.WriteAllText(inside, "untouched");

        Action act = () => Small(seed: 13).Save(target);

        act.Should().Throw<IOException>();
        Directory.GetFileSystemEntries(_directory).Should().Equal(target);
        File.ReadAllText(inside).Should().Be("untouched");
    }

    [Fact]
    public void A_network_that_cannot_be_saved_leaves_the_previous_file_intact()
    {
        string path = PathFor("model.nn");
        Network<double> saved = Small(seed: 14);
        saved.Save(path);
        byte[] before = File.ReadAllBytes(path);
        var unsavable = new Network<double>([new Dense<double>(3, 2), new Opaque(2)], Loss.MeanSquaredError, seed: 15);

        Action toFile = () => unsavable.Save(path);
        Action toStream = () => unsavable.Save(new MemoryStream());

        toFile.Should().Throw<InvalidOperationException>().WithMessage("*layer type 'opaque'*not registered*");
        toStream.Should().Throw<InvalidOperationException>();
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFileSystemEntries(_directory).Should().Equal(path);
        ShouldBeTheSameModel(Network.Load<double>(path), saved);
    }

    private static byte[] Encode(Network<double> network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    /// <summary>A parameterless pass-through layer whose type nobody registered, so a file holding it could not be loaded.</summary>
    private sealed class Opaque(int size) : Layer<double>
    {
        public override string Name => "opaque";

        public override int InputSize => size;

        public override int OutputSize => size;

        protected internal override void InferCore(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);

        protected internal override Matrix<double> ForwardCore(Matrix<double> input, TrainingContext context) => input;

        protected internal override Matrix<double>? BackwardCore(Matrix<double> outputGradient, bool computeInputGradient)
            => computeInputGradient ? outputGradient : null;
    }
}
