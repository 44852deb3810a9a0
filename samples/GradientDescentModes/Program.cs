// Reproduces the article's comparison of the three gradient descents on the bundled MNIST subset. The same
// network (784 → 128 ReLU → 10, softmax + cross-entropy) is trained from the same starting weights with plain
// gradient descent, once per mode: batch (all 8,000 images per update), stochastic (one random image per update)
// and mini-batch (32 images per update). After every epoch the loss on the whole training set is measured (outside
// the timed training), giving loss per epoch and loss against training time, written to a CSV and drawn as a PNG.
using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Samples.GradientDescentModes;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

string dataDirectory = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");
string outputDirectory = args.Length > 1 ? args[1] : ".";
int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
Directory.CreateDirectory(outputDirectory);

Dataset<float> train = Mnist.Load<float>(dataDirectory, train: true);
Dataset<float> test = Mnist.Load<float>(dataDirectory, train: false);

// Each mode gets a learning rate suited to its batch: one large step per epoch for BGD, small noisy steps for SGD.
(string Name, GradientDescent Descent, double LearningRate)[] modes =
[
    ("BGD", new BatchGradientDescent(), 0.5),
    ("SGD", new StochasticGradientDescent(), 0.01),
    ("MBGD", new MiniBatchGradientDescent(32), 0.1),
];

var runs = new List<ModeRun>();
foreach ((string name, GradientDescent descent, double rate) in modes)
{
    Network<float> network = Network.Sequential(train.FeatureCount)
        .Dense(128, Activation.Relu)
        .Dense(10)
        .Build(Loss.SoftmaxCrossEntropy, seed: 1);
    var run = new ModeRun(name, rate, network.ComputeLoss(train.Features, train.Targets));
    var training = Stopwatch.StartNew();
    network.Fit(train, new TrainingOptions
    {
        Epochs = epochs,
        LearningRate = rate,
        GradientDescent = descent,
        UpdateRule = new Plain(),
        Seed = 1,
        Progress = new SynchronousProgress<EpochRecord>(record =>
        {
            // Measuring the full training loss is not part of training: pause the clock for it.
            training.Stop();
            run.Add(record.Updates, training.Elapsed, network.ComputeLoss(train.Features, train.Targets));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-5} epoch {record.Epoch,3}: loss {run.Losses[^1]:F4} after {training.Elapsed.TotalSeconds,6:F2} s"));
            training.Start();
        }),
    });
    run.Accuracy = network.Accuracy(test.Features, test.Labels!);
    runs.Add(run);
}

string csvPath = Path.Combine(outputDirectory, "gradient-descent-modes.csv");
string chartPath = Path.Combine(outputDirectory, "gradient-descent-modes.png");
File.WriteAllText(csvPath, ModeRun.ToCsv(runs));
Chart.Draw(runs, chartPath);

Console.WriteLine();
Console.WriteLine("mode   learning rate  updates/epoch  time/epoch   final loss  test accuracy");
foreach (ModeRun run in runs)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{run.Name,-5}  {run.LearningRate,13}  {run.UpdatesPerEpoch,13}  {run.SecondsPerEpoch,8:F3} s  {run.Losses[^1],11:F4}  {run.Accuracy,13:F4}"));
}

Console.WriteLine($"wrote {csvPath} and {chartPath}");
