using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Model format 3's metadata: feature and class names and the target scaler travel with a saved network and its
/// checkpoints, and a file whose metadata does not fit its network is refused as a format error.
/// </summary>
public class MetadataSaveLoadTests
{
    private static byte[] Bytes<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    private static Network<T> Load<T>(byte[] content)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Load<T>(new MemoryStream(content));

    private static Network<float> NamedClassifier() => Network.Sequential(2)
        .WithFeatureNames(["largeur", "höhe"])
        .Normalize([1f, -3f], [0.5f, 4f])
        .Dense(4, Activation.Relu)
        .Dense(3)
        .WithClassNames(["a", "b", "c"])
        .Build(Loss.SoftmaxCrossEntropy, seed: 8);

    /// <summary>The offset of a stored name list: its int32 count followed by its first name as int32 length and UTF-8 bytes.</summary>
    private static int NamesAt(byte[] file, int count, string first)
    {
        byte[] pattern = new byte[8 + Encoding.UTF8.GetByteCount(first)];
        BinaryPrimitives.WriteInt32LittleEndian(pattern, count);
        BinaryPrimitives.WriteInt32LittleEndian(pattern.AsSpan(4), Encoding.UTF8.GetByteCount(first));
        Encoding.UTF8.GetBytes(first, pattern.AsSpan(8));
        int at = file.AsSpan().IndexOf(pattern);
        at.Should().BeGreaterThan(0, "the file holds the names");
        return at;
    }

    [Fact]
    public void Names_normalisation_and_target_scaler_load_back_with_bit_identical_predictions()
    {
        var random = new Random(31);
        Matrix<double> x = TestData.RandomMatrix(random, 7, 3, 50);
        var targets = new StandardScaler<double>([100.0, -0.5], [25.0, 0.01]);
        Network<double> network = Network.Sequential<double>(3)
            .WithFeatureNames(["", "naïve feature", "日本"])
            .Normalize(new StandardScaler<double>().Fit(x))
            .Dense(5, Activation.Tanh)
            .Dense(2)
            .WithTargetScaler(targets)
            .Build(Loss.MeanSquaredError, seed: 9);

        Network<double> back = Load<double>(Bytes(network));

        back.FeatureNames.Should().Equal("", "naïve feature", "日本");
        back.ClassNames.Should().BeNull();
        back.TargetScaler!.Mean.Should().Equal(100.0, -0.5);
        back.TargetScaler.StandardDeviation.Should().Equal(25.0, 0.01);
        back.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray());
        back.PredictInTargetUnits(x).ToColumnMajorArray().Should().Equal(network.PredictInTargetUnits(x).ToColumnMajorArray());
    }

    [Fact]
    public void A_float_network_keeps_its_class_names_and_statistics_exactly()
    {
        Network<float> network = NamedClassifier();

        Network<float> back = Load<float>(Bytes(network));

        back.ClassNames.Should().Equal("a", "b", "c");
        back.FeatureNames.Should().Equal("largeur", "höhe");
        back.PredictLabel([2f, 1f]).Should().Be(network.PredictLabel([2f, 1f]));
        back.ToString().Should().Be(network.ToString());
    }

    [Fact]
    public void A_network_without_names_saves_and_loads_without_them()
    {
        Network<double> network = Network.Sequential<double>(2).Dense(2).Build(Loss.MeanSquaredError, seed: 1);

        Network<double> back = Load<double>(Bytes(network));

        back.FeatureNames.Should().BeNull();
        back.ClassNames.Should().BeNull();
        back.TargetScaler.Should().BeNull();
    }

    [Fact]
    public void A_checkpoint_keeps_the_class_names_training_took_from_the_data()
    {
        int[] labels = [.. Enumerable.Range(0, 24).Select(i => i % 3)];
        Dataset<float> data = Dataset.ForClassification(TestData.Blobs<float>(new Random(32), [[-1, 0], [1, 0], [0, 1]], labels, 0.3), labels, 3, ["left", "right", "top"]);
        Network<float> network = Network.Sequential(2).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.nnet");
        try
        {
            network.Fit(data, new TrainingOptions { Epochs = 2, Seed = 1, Checkpoint = new CheckpointOptions(path) });

            TrainingCheckpoint<float> checkpoint = TrainingCheckpoint.Load<float>(path);

            checkpoint.Network.ClassNames.Should().Equal("left", "right", "top");
            Network.Load<float>(path).ClassNames.Should().Equal("left", "right", "top");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_whose_name_count_does_not_fit_the_network_is_refused_naming_both()
    {
        byte[] file = Bytes(NamedClassifier());
        int at = NamesAt(file, 3, "a");
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), 2);
        ModelBytes.Rehash(file);

        Action act = () => Load<float>(file);

        act.Should().Throw<ModelFormatException>().WithMessage("*expected 0 or 3 class names for this network, but found 2*");
    }

    [Fact]
    public void A_file_that_names_two_classes_alike_is_refused()
    {
        byte[] file = Bytes(NamedClassifier());
        int at = NamesAt(file, 3, "a");

        // The three names are "a", "b", "c", each one byte after its int32 length: make the last "a" too.
        file[at + 4 + 5 + 5 + 4] = (byte)'a';
        ModelBytes.Rehash(file);

        Action act = () => Load<float>(file);

        act.Should().Throw<ModelFormatException>().WithMessage("*names or target scaler do not fit the network*classes 0 and 2 are both named 'a'*");
    }

    [Fact]
    public void A_file_whose_target_scaler_is_not_valid_is_refused()
    {
        Network<double> network = Network.Sequential<double>(1).Dense(1).WithTargetScaler(new StandardScaler<double>([5.0], [2.0])).Build(Loss.MeanSquaredError, seed: 1);
        byte[] file = Bytes(network);

        // The file ends: flag 1, int32 count 1, the mean 5.0, the standard deviation 2.0, then the 32-byte checksum.
        int stdAt = file.Length - 32 - 8;
        BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan(stdAt)).Should().Be(2.0);
        byte[] negative = (byte[])file.Clone();
        BinaryPrimitives.WriteDoubleLittleEndian(negative.AsSpan(stdAt), -2.0);
        ModelBytes.Rehash(negative);
        byte[] flag = (byte[])file.Clone();
        flag[stdAt - 8 - 4 - 1] = 7;
        ModelBytes.Rehash(flag);

        Action badDeviation = () => Load<double>(negative);
        Action badFlag = () => Load<double>(flag);

        badDeviation.Should().Throw<ModelFormatException>().WithMessage("*target scaler's statistics are not valid*at least 0*-2*");
        badFlag.Should().Throw<ModelFormatException>().WithMessage("*target scaler flag as 0 or 1, but found 7*");
    }

    [Fact]
    public void A_version_2_file_loads_without_names()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Persistence", "Files", "v2", "classifier-float.nnet");

        Network<float> network = Network.Load<float>(path);

        network.ClassNames.Should().BeNull();
        network.FeatureNames.Should().BeNull();
        network.TargetScaler.Should().BeNull();
        network.Layers.Should().NotBeEmpty();
    }
}
