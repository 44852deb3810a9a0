// Trains a digit classifier on MNIST: 784 pixels → 256 ReLU units (or the --hidden layers) → 10 classes (softmax + cross-entropy),
// shows each epoch as it finishes, prints the confusion matrix, saves the model, reloads it and checks that the
// reloaded model scores exactly the same. The last line is the test accuracy.
using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Losses;
using NeuralNet.Samples.Mnist;
using NeuralNet.Training;
using NeuralNet.UpdateRules;
using Spectre.Console;

MnistOptions options;
try
{
    options = MnistOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(MnistOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(MnistOptions.Usage);
    return 0;
}

Dataset<float> train = Mnist.Load<float>(options.DataDirectory, train: true);
Dataset<float> test = Mnist.Load<float>(options.DataDirectory, train: false);
AnsiConsole.MarkupLine($"MNIST from [blue]{Markup.Escape(options.DataDirectory)}[/]: {train.Count} training and {test.Count} test images of {train.FeatureCount} pixels");

NetworkBuilder<float> builder = Network.Sequential(train.FeatureCount);
foreach (int hidden in options.Hidden)
{
    builder = builder.Dense(hidden, Activation.Relu);
    if (options.BatchNorm)
    {
        builder = builder.BatchNormalization();
    }

    if (options.Dropout > 0)
    {
        builder = builder.Dropout(options.Dropout);
    }
}

Network<float> network = builder.Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: options.Seed);
AnsiConsole.WriteLine(network.ToString());
AnsiConsole.WriteLine($"training: {options.Epochs} epochs, {options.Descent}, {options.Rule}, learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, seed {options.Seed}");

// The test images are scored after each epoch to show progress; nothing is tuned or selected on them.
var table = new Table().AddColumns("epoch", "train loss", "test loss", "test accuracy", "learning rate", "time");
var trainingOptions = new TrainingOptions
{
    Epochs = options.Epochs,
    LearningRate = options.LearningRate,
    GradientDescent = options.Descent,
    UpdateRule = options.Rule,
    Seed = options.Seed,
    Schedule = LearningRateSchedule.Cosine(),
};

var clock = Stopwatch.StartNew();
TrainingHistory history = null!;
if (AnsiConsole.Profile.Capabilities.Interactive)
{
    // A live table that grows by one row per epoch while training runs.
    AnsiConsole.Live(table).Start(context =>
    {
        history = network.Fit(
            train,
            trainingOptions with
            {
                Progress = new SynchronousProgress<EpochRecord>(record =>
                {
                    AddRow(table, record);
                    context.Refresh();
                }),
            },
            validation: test);
    });
}
else
{
    Console.WriteLine("epoch  train loss  test loss  test accuracy  learning rate     time");
    history = network.Fit(
        train,
        trainingOptions with
        {
            Progress = new SynchronousProgress<EpochRecord>(record => Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Epoch,5}  {record.Loss,10:F4}  {record.ValidationLoss,9:F4}  {record.ValidationAccuracy,13:F4}  {record.LearningRate,13:F5}  {record.Elapsed.TotalSeconds,5:F2} s"))),
        },
        validation: test);
}

clock.Stop();
string historyPath = Path.ChangeExtension(options.SavePath, ".history.csv");
File.WriteAllText(historyPath, history.ToCsv());
AnsiConsole.WriteLine($"trained in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s; per-epoch history written to {historyPath}");

int[] predicted = network.PredictClasses(test.Features);
var confusion = new ConfusionMatrix(test.Labels!, predicted, 10);
AnsiConsole.WriteLine("confusion matrix on the test images (rows: true digit, columns: predicted digit):");
AnsiConsole.Write(ConfusionTable(confusion));

network.Save(options.SavePath);
Network<float> reloaded = Network.Load<float>(options.SavePath);
int[] reloadedPredictions = reloaded.PredictClasses(test.Features);
bool same = reloaded.Predict(test.Features).Equals(network.Predict(test.Features)) && reloadedPredictions.SequenceEqual(predicted);
AnsiConsole.WriteLine($"saved to {options.SavePath} ({new FileInfo(options.SavePath).Length} bytes); reloaded model predicts {(same ? "identically" : "DIFFERENTLY")}");
if (!same)
{
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {confusion.Accuracy:F4}"));
return 0;

static void AddRow(Table table, EpochRecord record) => table.AddRow(
    record.Epoch.ToString(CultureInfo.InvariantCulture),
    record.Loss.ToString("F4", CultureInfo.InvariantCulture),
    record.ValidationLoss?.ToString("F4", CultureInfo.InvariantCulture) ?? "-",
    record.ValidationAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-",
    record.LearningRate.ToString("F5", CultureInfo.InvariantCulture),
    record.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s");

static Table ConfusionTable(ConfusionMatrix confusion)
{
    var table = new Table().AddColumn("true \\ pred");
    for (int c = 0; c < confusion.ClassCount; c++)
    {
        table.AddColumn(new TableColumn(c.ToString(CultureInfo.InvariantCulture)).RightAligned());
    }

    table.AddColumn(new TableColumn("recall").RightAligned());
    for (int r = 0; r < confusion.ClassCount; r++)
    {
        var cells = new List<string> { r.ToString(CultureInfo.InvariantCulture) };
        for (int c = 0; c < confusion.ClassCount; c++)
        {
            cells.Add(r == c ? $"[green]{confusion[r, c]}[/]" : confusion[r, c] == 0 ? "[grey]0[/]" : confusion[r, c].ToString(CultureInfo.InvariantCulture));
        }

        cells.Add(confusion.Recall(r).ToString("F3", CultureInfo.InvariantCulture));
        table.AddRow(cells.ToArray());
    }

    return table;
}
