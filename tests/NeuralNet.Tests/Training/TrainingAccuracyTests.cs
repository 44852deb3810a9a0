using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// <see cref="EpochRecord.Accuracy"/> is the accuracy of the predictions the updates made: with batch descent, the
/// accuracy on the training data of the weights at the start of the epoch, which a twin network trained one epoch
/// less gives independently.
/// </summary>
public class TrainingAccuracyTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void With_batch_descent_it_is_the_accuracy_of_the_weights_before_the_epoch(int classes)
    {
        int[] labels = TestData.Grouped([.. Enumerable.Repeat(25, classes)]);
        double[][] centres = [[-1, 1], [1, -1], [1, 1]];
        Matrix<double> inputs = TestData.Blobs<double>(new Random(11), centres[..classes], labels, spread: 1.5);
        Loss loss = classes == 2 ? Loss.SigmoidBinaryCrossEntropy : Loss.SoftmaxCrossEntropy;
        int outputs = classes == 2 ? 1 : classes;
        Network<double> Build() => Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(outputs).Build(loss, seed: 8);
        var options = new TrainingOptions { Epochs = 6, LearningRate = 0.3, GradientDescent = new BatchGradientDescent() };

        TrainingHistory history = Build().Fit(inputs, labels, options);

        for (int epoch = 1; epoch <= 6; epoch++)
        {
            Network<double> twin = Build();
            if (epoch > 1)
            {
                twin.Fit(inputs, labels, options with { Epochs = epoch - 1 });
            }

            double expected = Metrics.Accuracy(labels, twin.PredictClasses(inputs));
            history.Epochs[epoch - 1].Accuracy.Should().Be(expected, because: $"epoch {epoch} starts from the twin's weights");
        }

        history.Epochs.Select(e => e.Accuracy!.Value).Distinct().Should().HaveCountGreaterThan(1, because: "training moves the accuracy");
    }

    [Fact]
    public void With_mini_batches_it_counts_every_sample_once()
    {
        int[] labels = TestData.Grouped(30, 30);
        Matrix<double> inputs = TestData.Blobs<double>(new Random(12), [[-2, 2], [2, -2]], labels, spread: 0.5);
        Network<double> network = Network.Sequential<double>(2).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 2);

        TrainingHistory history = network.Fit(inputs, labels, new TrainingOptions { Epochs = 30, LearningRate = 0.5, GradientDescent = new MiniBatchGradientDescent(7) });

        // A count of right samples over 60: a multiple of 1/60 in [0, 1], and well-separated blobs are learnt.
        history.Epochs.Should().OnlyContain(e => e.Accuracy >= 0 && e.Accuracy <= 1 && Math.Abs((e.Accuracy!.Value * 60) - Math.Round(e.Accuracy.Value * 60)) < 1e-9);
        history.Epochs[^1].Accuracy.Should().Be(1);
    }

    [Fact]
    public void A_regression_has_none()
    {
        Matrix<double> inputs = Matrix<double>.Build.Dense(10, 1, (i, _) => i);
        Network<double> network = Network.Sequential<double>(1).Dense(1).Build(Loss.MeanSquaredError, seed: 1);

        TrainingHistory history = network.Fit(inputs, inputs, new TrainingOptions { Epochs = 2 });

        history.Epochs.Should().OnlyContain(e => e.Accuracy == null);
    }
}
