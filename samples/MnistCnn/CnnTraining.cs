using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace MnistCnn;

/// <summary>What a run produced.</summary>
/// <param name="Accuracy">The accuracy on the test images.</param>
/// <param name="ModelPath">The saved model.</param>
/// <param name="PicturePath">The picture of the first layer's filters and the test digits it got wrong.</param>
/// <param name="Wrong">How many test digits it got wrong.</param>
public sealed record CnnResult(double Accuracy, string ModelPath, string PicturePath, int Wrong);

/// <summary>Trains the small CNN on MNIST and reports on it.</summary>
public static class CnnTraining
{
    /// <summary>The network: two 5×5 ReLU convolutions, each followed by 2×2 max pooling, then a dense softmax layer.</summary>
    /// <param name="seed">Seeds the weights.</param>
    /// <returns>A new network.</returns>
    public static Network<float> Build(int seed)
        => Network.Sequential(channels: 1, height: 28, width: 28)
            .Conv2D(8, kernel: 5, Activation.Relu)
            .MaxPool2D(2)
            .Conv2D(16, kernel: 5, Activation.Relu)
            .MaxPool2D(2)
            .Flatten()
            .Dense(10)
            .Build(Loss.SoftmaxCrossEntropy, seed);

    /// <summary>Loads the data, trains, evaluates, saves the model and draws the picture, writing progress to <paramref name="log"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="log">Where progress goes.</param>
    /// <returns>The result.</returns>
    public static CnnResult Run(CnnOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        Dataset<float> train = Mnist.Load<float>(options.DataDirectory, train: true);
        Dataset<float> test = Mnist.Load<float>(options.DataDirectory, train: false);
        if (options.TrainLimit > 0 && options.TrainLimit < train.Count)
        {
            train = train.Subset([.. Enumerable.Range(0, options.TrainLimit)]);
        }

        log.WriteLine($"MNIST: {train.Count} training and {test.Count} test images of 1×28×28 pixels");
        Network<float> network = Build(options.Seed);
        log.WriteLine(network);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training: {options.Epochs} epochs, batches of {options.BatchSize}, momentum 0.9, learning rate {options.LearningRate} with a cosine schedule, seed {options.Seed}"));
        log.WriteLine("epoch  train loss  test loss  test accuracy     time");
        var clock = Stopwatch.StartNew();
        var trainingOptions = new TrainingOptions
        {
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            GradientDescent = new MiniBatchGradientDescent(options.BatchSize),
            UpdateRule = new Momentum(0.9),
            Schedule = LearningRateSchedule.Cosine(),
            Seed = options.Seed,
            WeightDecay = options.WeightDecay,
            Progress = new SynchronousProgress<EpochRecord>(record => log.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Epoch,5}  {record.Loss,10:F4}  {record.ValidationLoss,9:F4}  {record.ValidationAccuracy,13:F4}  {record.Elapsed.TotalSeconds,6:F1} s"))),
        };
        if (options.Shift > 0)
        {
            network.Fit(new ShiftedBatches(train, options.BatchSize, options.Shift, options.Seed), trainingOptions, validation: test);
        }
        else
        {
            network.Fit(train, trainingOptions, validation: test);
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {clock.Elapsed.TotalSeconds:F1} s"));

        Directory.CreateDirectory(options.OutputDirectory);
        string modelPath = Path.Combine(options.OutputDirectory, "mnist-cnn.nnet");
        network.Save(modelPath);
        int[] predicted = Network.Load<float>(modelPath).PredictClasses(test.Features);
        int[] truth = [.. test.Labels!];
        int[] wrong = [.. Enumerable.Range(0, truth.Length).Where(i => predicted[i] != truth[i])];
        double accuracy = 1 - ((double)wrong.Length / truth.Length);
        string picturePath = Path.Combine(options.OutputDirectory, "mnist-cnn.png");
        Picture.Draw(network, test, wrong, predicted, picturePath);
        log.WriteLine($"model saved to {modelPath}; filters and the {wrong.Length} test digits it got wrong drawn in {picturePath}");
        return new CnnResult(accuracy, modelPath, picturePath, wrong.Length);
    }
}
