using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary><see cref="TrainingProgress.Console"/> writes a line per epoch and, within long epochs, plain progress lines to a writer that is not a terminal.</summary>
public class ConsoleProgressTests
{
    private static Dataset<double> Blobs(int perClass)
    {
        int[] labels = TestData.Grouped(perClass, perClass);
        Matrix<double> inputs = TestData.Blobs<double>(new Random(9), [[-1, 1], [1, -1]], labels, spread: 1);
        return Dataset.ForClassification(inputs, labels, 2);
    }

    private static Network<double> Build() => Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 4);

    [Fact]
    public void Each_epoch_gets_one_line_with_its_metrics()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Dataset<double> data = Blobs(30);
        var options = new TrainingOptions { Epochs = 3, ValidationFraction = 0.2, Progress = TrainingProgress.Console(writer, TimeSpan.FromHours(1)) };

        TrainingHistory history = Build().Fit(data, options);

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3, because: "an epoch shorter than the interval shows only its line");
        for (int e = 0; e < 3; e++)
        {
            EpochRecord record = history.Epochs[e];
            lines[e].Should().StartWith($"epoch {e + 1}/3  loss {record.Loss.ToString("G4", CultureInfo.InvariantCulture)}");
            lines[e].Should().Contain($"accuracy {record.Accuracy!.Value.ToString("G4", CultureInfo.InvariantCulture)}")
                .And.Contain($"val_loss {record.ValidationLoss!.Value.ToString("G4", CultureInfo.InvariantCulture)}")
                .And.Contain("val_accuracy ").And.Contain("samples/s").And.EndWith(" s");
        }
    }

    [Fact]
    public void Within_an_epoch_a_writer_that_is_not_a_terminal_gets_whole_lines()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Dataset<double> data = Blobs(20);
        var options = new TrainingOptions { Epochs = 2, GradientDescent = new MiniBatchGradientDescent(10), Progress = TrainingProgress.Console(writer, TimeSpan.Zero) };

        Build().Fit(data, options);

        string text = writer.ToString();
        text.Should().NotContain("\r\r").And.NotContain("\r" + "epoch", because: "only a terminal is rewritten in place");
        string[] lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        // Four updates per epoch, each shown with a zero interval, then the epoch's line.
        lines.Should().HaveCount(10);
        lines[0].Should().StartWith("epoch 1: 1 updates, 10 samples, ");
        lines[3].Should().StartWith("epoch 1: 4 updates, 40 samples, ");
        lines[4].Should().StartWith("epoch 1/2  loss ");
        lines[5].Should().StartWith("epoch 2: 1 updates, 10 samples, ");
        lines[9].Should().StartWith("epoch 2/2  loss ");
    }

    [Fact]
    public void A_negative_interval_is_rejected()
    {
        Action act = () => TrainingProgress.Console(TextWriter.Null, TimeSpan.FromSeconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("interval").WithMessage("*zero or more*-00:00:01*");
    }

    [Fact]
    public void A_regression_line_shows_the_validation_R_squared_and_no_accuracy()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var random = new Random(2);
        Matrix<double> inputs = Matrix<double>.Build.Dense(40, 1, (_, _) => random.NextDouble());
        Matrix<double> targets = inputs * 2;
        Network<double> network = Network.Sequential<double>(1).Dense(1).Build(Loss.MeanSquaredError, seed: 1);

        network.Fit(Dataset.ForRegression(inputs, targets), new TrainingOptions { Epochs = 1, ValidationFraction = 0.25, Progress = TrainingProgress.Console(writer, TimeSpan.FromHours(1)) });

        writer.ToString().Should().Contain("val_r2 ").And.NotContain("accuracy");
    }
}
