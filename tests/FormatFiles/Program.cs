using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

// Writes model files and checkpoints in the current model format, each with a JSON description of what loading it
// must give: the parameters' SHA-256, predictions on stored inputs, and for checkpoints the run that resumes it.
// Usage: dotnet run --project tests/FormatFiles -c Release -- DIRECTORY
string directory = args.Length == 1 ? args[0] : throw new ArgumentException("Usage: FormatFiles DIRECTORY");
Directory.CreateDirectory(directory);

Model<float>("classifier-float", Network.Sequential(4).Dense(8, Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 1), Blobs(4, 3, 1));
Model<double>("regressor-double", Network.Sequential<double>(3).Dense(5, Activation.Tanh, Initializer.HeNormal).Dense(4, Activation.LeakyRelu(0.2), Initializer.GlorotNormal, Initializer.RandomNormal(0.05)).Dense(2).Build(Loss.MeanSquaredError, seed: 2), Regression(3, 2, 2));
Model<float>("binary-float", Network.Sequential(2).Dense(6, Activation.Sigmoid, Initializer.RandomNormal(0.5)).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 3), Blobs(2, 2, 3));
Model<double>("softmax-inside-double", Network.Sequential<double>(5).Dense(4, Activation.Softmax, Initializer.HeUniform).Dense(3, Activation.Sigmoid, Initializer.GlorotUniform, Initializer.Zeros).Build(Loss.MeanSquaredError, seed: 4), Regression(5, 3, 4));

// From format 3: input normalisation inside the network, feature and class names, and a target scaler.
Model<float>("named-classifier-float", Network.Sequential(4).WithFeatureNames(["sepal length", "sepal width", "petal length", "pétale"]).Normalize(new StandardScaler<float>([5.8f, 3.05f, 3.76f, 1.2f], [0.83f, 0.43f, 1.76f, 0f])).Dense(6, Activation.Relu).Dense(3).WithClassNames(["setosa", "versicolor", "virginica"]).Build(Loss.SoftmaxCrossEntropy, seed: 10), Blobs(4, 3, 10));
Model<double>("scaled-regressor-double", Network.Sequential<double>(3).Normalize(new MinMaxScaler<double>([-1.0, -1.0, -1.0], [2.0, 2.0, 2.0])).Dense(5, Activation.Tanh).Dense(2).WithTargetScaler(new StandardScaler<double>([0.1, -0.2], [0.35, 0.5])).Build(Loss.MeanSquaredError, seed: 11), Regression(3, 2, 11));

Checkpoint<float>("checkpoint-adam-float", () => Network.Sequential(4).Dense(8, Activation.Tanh).Dense(3).WithClassNames(["north", "south", "east"]).Build(Loss.SoftmaxCrossEntropy, seed: 5), Blobs(4, 3, 5),
    new TrainingOptions { Epochs = 6, LearningRate = 0.01, UpdateRule = new Adam(0.85, 0.995, 1e-7), GradientDescent = new MiniBatchGradientDescent(7), Seed = 5, ValidationFraction = 0.25, EarlyStopping = new EarlyStopping(10, 0, restoreBestWeights: true) });
Checkpoint<double>("checkpoint-momentum-double", () => Network.Sequential<double>(3).Dense(5, Activation.Relu).Dense(2).Build(Loss.MeanSquaredError, seed: 6), Regression(3, 2, 6),
    new TrainingOptions { Epochs = 5, LearningRate = 0.02, UpdateRule = new Momentum(0.8), GradientDescent = new StochasticGradientDescent(), Seed = 6 });
Checkpoint<float>("checkpoint-nesterov-float", () => Network.Sequential(2).Dense(4, Activation.LeakyRelu(0.1)).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 7), Blobs(2, 2, 7),
    new TrainingOptions { Epochs = 5, LearningRate = 0.05, UpdateRule = new Nesterov(0.7), GradientDescent = new BatchGradientDescent(), Seed = 7 });
Checkpoint<double>("checkpoint-rmsprop-double", () => Network.Sequential<double>(4).Dense(6, Activation.Sigmoid).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 8), Blobs(4, 3, 8),
    new TrainingOptions { Epochs = 5, LearningRate = 0.01, UpdateRule = new RmsProp(0.95, 1e-6), GradientDescent = new MiniBatchGradientDescent(5), Seed = 8, WeightDecay = 0.001 });
Checkpoint<float>("checkpoint-plain-float", () => Network.Sequential(3).Dense(4, Activation.Relu).Dense(2).Build(Loss.MeanSquaredError, seed: 9), Regression(3, 2, 9),
    new TrainingOptions { Epochs = 5, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(4), Seed = 9 });

/// <summary>Trains the network a little (so its weights are not the initial ones), saves it and describes it.</summary>
void Model<T>(string name, Network<T> network, Data data)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    network.Fit(ToMatrix(data.Inputs, network), ToMatrix(data.Targets, network), new TrainingOptions { Epochs = 3, LearningRate = 0.05, Seed = 1 });
    string file = Path.Combine(directory, name + ".nnet");
    network.Save(file);
    var description = new JsonObject
    {
        ["file"] = name + ".nnet",
        ["kind"] = "model",
        ["precision"] = typeof(T).Name,
        ["network"] = network.ToString(),
        ["parametersSha256"] = ParametersSha256(network),
        ["inputs"] = Rows(data.Inputs),
        ["predictions"] = Rows(Predictions(network, data.Inputs)),
    };
    DescribeMetadata(description, network, data.Inputs);
    File.WriteAllText(Path.Combine(directory, name + ".json"), description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.WriteLine($"{file}: {network}");
}

/// <summary>
/// Writes the checkpoint of a run stopped after 2 epochs, and describes the uninterrupted run's end, which resuming
/// from it must reach.
/// </summary>
void Checkpoint<T>(string name, Func<Network<T>> build, Data data, TrainingOptions options)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    const int Stop = 2;
    string file = Path.Combine(directory, name + ".nnet");
    Network<T> interrupted = build();
    Matrix<T> x = ToMatrix(data.Inputs, interrupted);
    bool classification = interrupted.Loss.ExpectsLogits;
    int[] labels = [.. data.Targets.Select(row => interrupted.OutputSize == 1 ? (int)row[0] : Array.IndexOf(row, row.Max()))];
    TrainingOptions first = options with { Epochs = Stop, Checkpoint = new CheckpointOptions(file) };
    TrainingOptions whole = options;

    // Stopped after epoch 2: the checkpoint is written at the run's last epoch.
    _ = classification ? interrupted.Fit(x, labels, first) : interrupted.Fit(x, ToMatrix(data.Targets, interrupted), first);
    Network<T> reference = build();
    TrainingHistory history = classification ? reference.Fit(x, labels, whole) : reference.Fit(x, ToMatrix(data.Targets, reference), whole);

    TrainingCheckpoint<T> check = TrainingCheckpoint.Load<T>(file);
    var description = new JsonObject
    {
        ["file"] = name + ".nnet",
        ["kind"] = "checkpoint",
        ["precision"] = typeof(T).Name,
        ["network"] = interrupted.ToString(),
        ["parametersSha256"] = ParametersSha256(check.Network),
        ["completedEpochs"] = check.CompletedEpochs,
        ["historyLosses"] = new JsonArray([.. check.History.Select(r => JsonValue.Create(r.Loss))]),
        ["options"] = new JsonObject
        {
            ["epochs"] = options.Epochs,
            ["learningRate"] = options.LearningRate,
            ["updateRule"] = Describe(options.UpdateRule),
            ["gradientDescent"] = options.GradientDescent.Name,
            ["batchSize"] = options.GradientDescent is MiniBatchGradientDescent m ? m.Size : null,
            ["seed"] = options.Seed,
            ["validationFraction"] = options.ValidationFraction,
            ["weightDecay"] = options.WeightDecay,
            ["earlyStoppingPatience"] = options.EarlyStopping?.Patience,
        },
        ["classification"] = classification,
        ["inputs"] = Rows(data.Inputs),
        ["targets"] = Rows(data.Targets),
        ["labels"] = classification ? new JsonArray([.. labels.Select(l => JsonValue.Create(l))]) : null,
        ["predictions"] = Rows(Predictions(check.Network, data.Inputs)),
        ["resumedLosses"] = new JsonArray([.. history.Epochs.Select(r => JsonValue.Create(r.Loss))]),
        ["resumedPredictions"] = Rows(Predictions(reference, data.Inputs)),
    };
    DescribeMetadata(description, check.Network, data.Inputs);
    File.WriteAllText(Path.Combine(directory, name + ".json"), description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.WriteLine($"{file}: {check.Network}, {check.CompletedEpochs} epochs, {options.UpdateRule}");
}

/// <summary>Adds what format 3 keeps beside the layers, when the network has it: names, and the target scaler with its predictions in target units.</summary>
void DescribeMetadata<T>(JsonObject description, Network<T> network, double[][] inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    if (network.FeatureNames is { } features)
    {
        description["featureNames"] = new JsonArray([.. features.Select(n => JsonValue.Create(n))]);
    }

    if (network.ClassNames is { } classes)
    {
        description["classNames"] = new JsonArray([.. classes.Select(n => JsonValue.Create(n))]);
    }

    if (network.TargetScaler is { } scaler)
    {
        description["targetMean"] = new JsonArray([.. scaler.Mean!.Select(v => JsonValue.Create(double.CreateChecked(v)))]);
        description["targetStandardDeviation"] = new JsonArray([.. scaler.StandardDeviation!.Select(v => JsonValue.Create(double.CreateChecked(v)))]);
        Matrix<T> units = network.PredictInTargetUnits(ToMatrix(inputs, network));
        description["predictionsInTargetUnits"] = Rows([.. Enumerable.Range(0, units.RowCount).Select(i => Enumerable.Range(0, units.ColumnCount).Select(j => double.CreateChecked(units[i, j])).ToArray())]);
    }
}

/// <summary>The rule's registered name and its configuration's numbers, which rebuild it through the registry.</summary>
static JsonObject Describe(UpdateRule rule)
{
    var description = new JsonObject { ["name"] = rule.Name };
    ComponentConfig config = rule.GetConfig();
    foreach (string key in config.Keys)
    {
        description[key] = config.GetDouble(key);
    }

    return description;
}

static Matrix<T> ToMatrix<T>(double[][] rows, Network<T> network)
    where T : unmanaged, IFloatingPointIeee754<T>
    => MathNet.Numerics.LinearAlgebra.Matrix<T>.Build.Dense(rows.Length, rows[0].Length, (i, j) => T.CreateChecked(rows[i][j]));

static double[][] Predictions<T>(Network<T> network, double[][] inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    Matrix<T> p = network.Predict(ToMatrix(inputs, network));
    return [.. Enumerable.Range(0, p.RowCount).Select(i => Enumerable.Range(0, p.ColumnCount).Select(j => double.CreateChecked(p[i, j])).ToArray())];
}

static JsonArray Rows(double[][] rows) => new([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Select(v => JsonValue.Create(v))]))]);

/// <summary>SHA-256 over every parameter's values, layer by layer, column-major, little-endian, in the network's precision.</summary>
static string ParametersSha256<T>(Network<T> network)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    foreach (Parameter<T> parameter in network.Parameters)
    {
        T[] values = parameter.Value.ToColumnMajorArray();
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
}

/// <summary>Gaussian blobs: <paramref name="classes"/> centres in <paramref name="features"/> dimensions, 8 samples each, one-hot (or 0/1) targets.</summary>
static Data Blobs(int features, int classes, int seed)
{
    var random = new Random(seed);
    var inputs = new List<double[]>();
    var targets = new List<double[]>();
    for (int c = 0; c < classes; c++)
    {
        double[] centre = [.. Enumerable.Range(0, features).Select(j => ((c + j) % 3) - 1.0)];
        for (int i = 0; i < 8; i++)
        {
            inputs.Add([.. centre.Select(m => Math.Round(m + (0.7 * Gaussian(random)), 6))]);
            targets.Add(classes == 2 ? [c] : [.. Enumerable.Range(0, classes).Select(k => k == c ? 1.0 : 0.0)]);
        }
    }

    return new Data([.. inputs], [.. targets]);
}

/// <summary>Targets that are smooth functions of the inputs, 24 samples.</summary>
static Data Regression(int features, int outputs, int seed)
{
    var random = new Random(seed);
    double[][] inputs = [.. Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, features).Select(_ => Math.Round((2 * random.NextDouble()) - 1, 6)).ToArray())];
    double[][] targets = [.. inputs.Select(x => Enumerable.Range(0, outputs).Select(k => Math.Round(Math.Sin(x.Sum() + k) * 0.5, 6)).ToArray())];
    return new Data(inputs, targets);
}

static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

internal sealed record Data(double[][] Inputs, double[][] Targets);
