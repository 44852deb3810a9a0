// Runs the reference workload of the side-by-side comparison with NeuralNet and prints the same lines as the
// NumPy and PyTorch peers (benchmarks/peers/common.py), one JSON object per line:
//   {"event":"info",...}                                      the backend, what it runs ("kernel") and the thread count
//   {"event":"epoch","epoch":1,"ms":123.456,"loss":0.4321}    one per epoch; ms is the epoch's training wall time
//   {"event":"accuracy","value":0.9135}                       on the test images, after training
// The workload (--workload, see Workload.cs): MLP 784 → 128 (ReLU) → 10 at learning rate 0.1 (the default), or the
// CNN conv 8@5×5 → max-pool 2 → conv 16@5×5 → max-pool 2 → dense 10 at learning rate 0.05; softmax + cross-entropy
// (batch mean), float32, plain gradient descent on the 8,000 MNIST training images, reshuffled every epoch, the last
// partial batch used. The CNN's info line also gives conv_flops_per_sample: its convolution products' flops in a step.
using System.Text.Json;
using NeuralNet;
using NeuralNet.Backends;
using NeuralNet.Compare;
using NeuralNet.Data;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

RunOptions options;
try
{
    options = RunOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(RunOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(RunOptions.Usage);
    return 0;
}

// Without --backend the backend is whatever NeuralNet picks on its own (the compare.sh system `neuralnet`).
if (options.Backend is not null)
{
    MatrixBackend? backend = options.Backend == "managed" ? MatrixBackend.Managed : MatrixBackend.OpenBlas;
    if (backend is null)
    {
        Console.Error.WriteLine("--backend openblas, but libopenblas could not be loaded; install libopenblas0-pthread.");
        return 1;
    }

    MatrixBackend.Current = backend;
}

if (options.Threads is int threads)
{
    MatrixBackend.ThreadCount = threads;
}

Dataset<float> train = Mnist.Load<float>(options.DataDirectory, train: true);
Dataset<float> test = Mnist.Load<float>(options.DataDirectory, train: false);

Network<float> network;
try
{
    network = options.Workload.Build(train.FeatureCount, options.Seed);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var info = new Dictionary<string, object>
{
    ["event"] = "info",
    ["system"] = "neuralnet",
    ["workload"] = options.Workload.Name,
    ["backend"] = MatrixBackend.Current.Name,
    ["backend_chosen_by"] = options.Backend is null ? "neuralnet" : "--backend",
    ["kernel"] = MatrixBackend.Current.Description,
    ["threads"] = MatrixBackend.ThreadCount,
    ["dotnet"] = Environment.Version.ToString(),
    ["batch"] = options.Batch,
};
if (options.Workload == Workload.Cnn)
{
    info["conv_flops_per_sample"] = Workload.ConvolutionFlopsPerSample(network);
}

Write(info);

var training = new TrainingOptions
{
    Epochs = options.Epochs,
    LearningRate = options.Workload.LearningRate,
    GradientDescent = new MiniBatchGradientDescent(options.Batch),
    UpdateRule = new Plain(),
    Seed = options.Seed,
    Progress = new SyncProgress<EpochRecord>(record => Write(new Dictionary<string, object>
    {
        ["event"] = "epoch",
        ["epoch"] = record.Epoch,
        ["ms"] = Math.Round(record.Elapsed.TotalMilliseconds, 3),
        ["loss"] = Math.Round(record.Loss, 6),
    })),
};
network.Fit(train, training);

double accuracy = network.Accuracy(test.Features, test.Labels!);
Write(new Dictionary<string, object> { ["event"] = "accuracy", ["value"] = Math.Round(accuracy, 6) });
return 0;

static void Write(Dictionary<string, object> fields)
{
    Console.Out.WriteLine(JsonSerializer.Serialize(fields));
    Console.Out.Flush();
}
