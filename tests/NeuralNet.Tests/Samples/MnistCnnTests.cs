using MnistCnn;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Samples;

/// <summary>
/// samples/MnistCnn, as a smoke test: one short epoch on part of the bundled MNIST subset trains, saves a model that
/// loads as the sample's CNN, and draws the picture. (The full run's accuracy is measured by running the sample.)
/// </summary>
public sealed class MnistCnnTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mnist-cnn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void One_short_epoch_learns_the_digits_saves_the_model_and_draws_the_picture()
    {
        var log = new StringWriter();

        CnnResult result = CnnTraining.Run(new CnnOptions { Epochs = 1, TrainLimit = 1500, Shift = 1, OutputDirectory = _directory }, log);

        result.Accuracy.Should().BeGreaterThan(0.8, log.ToString());
        result.Wrong.Should().Be((int)Math.Round((1 - result.Accuracy) * 2000));
        Network<float> loaded = Network.Load<float>(result.ModelPath);
        loaded.Layers.Select(l => l.Name).Should().Equal("conv2d", "max_pool2d", "conv2d", "max_pool2d", "flatten", "dense");
        ((Conv2D<float>)loaded.Layers[0]).OutputShape.Should().Be(new ImageShape(8, 24, 24));
        File.ReadAllBytes(result.PicturePath).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        log.ToString().Should().Contain("1500 training and 2000 test images");
    }

    [Fact]
    public void Bad_options_are_refused_naming_what_was_expected()
    {
        Action epochs = () => CnnOptions.Parse(["--epochs", "0"]);
        Action unknown = () => CnnOptions.Parse(["--layers", "3"]);

        epochs.Should().Throw<ArgumentException>().WithMessage("--epochs expects a positive whole number, but got '0'.*");
        unknown.Should().Throw<ArgumentException>().WithMessage("Unknown option '--layers'.*");
        CnnOptions.Parse(["--epochs", "3", "--shift", "2"]).Should().Be(new CnnOptions { Epochs = 3, Shift = 2 });
    }
}
