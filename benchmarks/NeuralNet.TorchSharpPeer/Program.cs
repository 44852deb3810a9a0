// The reference workload of the side-by-side comparison (benchmarks/compare.sh) in TorchSharp, .NET's binding of
// libtorch, as a .NET developer would write it. It prints the same lines as the other peers (benchmarks/peers/common.py),
// one JSON object per line:
//   {"event":"info",...}                                      versions, threads, the kernel libtorch runs
//   {"event":"epoch","epoch":1,"ms":123.456,"loss":0.4321}    one per epoch; ms is the epoch's training wall time
//   {"event":"accuracy","value":0.9135}                       on the test images, after training
// The workloads, as in peers/reference_torch.py: --workload mlp (the default) is nn.Sequential(Linear(784, 128), ReLU,
// Linear(128, 10)) with learning rate 0.1; --workload cnn is nn.Sequential(Conv2d(1, 8, 5), ReLU, MaxPool2d(2),
// Conv2d(8, 16, 5), ReLU, MaxPool2d(2), Flatten, Linear(256, 10)) on 1×28×28 images with learning rate 0.05. Both:
// CrossEntropyLoss (softmax + cross-entropy, batch mean), SGD without momentum, on the 8,000 MNIST training images,
// reshuffled every epoch with a seeded generator, batches indexed from preloaded tensors, the last partial batch used.
// He uniform for the layers before a ReLU, Glorot uniform for the output layer, zero biases.
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeuralNet.TorchSharpPeer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

PeerOptions options;
try
{
    options = PeerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(PeerOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(PeerOptions.Usage);
    return 0;
}

// As in peers/reference_torch.py: with more than one thread, idle OpenMP workers (libtorch's and MKL's) sleep rather
// than spin between the many small operations, unless the environment says otherwise. On 2 shared cores spinning
// workers take the CPU from the thread that has work: epochs several times slower and far less steady. This must
// happen before libtorch (and its OpenMP runtime, which reads the variable once as it loads) is loaded.
if (options.Threads > 1)
{
    NativeEnvironment.SetDefault("OMP_WAIT_POLICY", "PASSIVE");
}

(float[] trainPixels, long[] trainLabels, int n, int features) = MnistIdx.Load(options.DataDirectory, train: true);
(float[] testPixels, long[] testLabels, int testCount, _) = MnistIdx.Load(options.DataDirectory, train: false);

torch.set_num_threads(options.Threads);
torch.manual_seed(options.Seed);

bool cnn = options.Workload == "cnn";
if (cnn && features != 28 * 28)
{
    Console.Error.WriteLine($"The cnn workload expects 28×28 = 784 pixels per image, but the data has {features} features.");
    return 2;
}

// The CNN reads each row as a 1×28×28 image (NCHW): the same row-major pixels.
long[] sampleShape = cnn ? [1, 28, 28] : [features];
using Tensor xTrain = torch.tensor(trainPixels, [n, .. sampleShape]);
using Tensor yTrain = torch.tensor(trainLabels);
using Tensor xTest = torch.tensor(testPixels, [testCount, .. sampleShape]);
using Tensor yTest = torch.tensor(testLabels);

using Sequential model = cnn ? Networks.Cnn() : Networks.Mlp(features);
using CrossEntropyLoss criterion = nn.CrossEntropyLoss();
using SGD optimizer = optim.SGD(model.parameters(), learningRate: cnn ? 0.05 : 0.1);
using Generator generator = new((ulong)options.Seed);

string config = LibTorchConfig.ShowConfig();
string capability = LibTorchConfig.CpuCapability();
Write(new Dictionary<string, object>
{
    ["event"] = "info",
    ["system"] = "torchsharp",
    ["workload"] = options.Workload,
    ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?",
    ["libtorch"] = torch.__version__,
    ["threads"] = torch.get_num_threads(),
    ["interop_threads"] = torch.get_num_interop_threads(),
    ["omp_wait_policy"] = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? string.Empty,
    ["dotnet"] = Environment.Version.ToString(),
    ["batch"] = options.Batch,
    ["kernel"] = Kernel(config, capability),
    ["cpu_capability"] = capability,
    ["use_mkldnn"] = Regex.Match(config, @"USE_MKLDNN=(\w+)") is { Success: true } u ? u.Groups[1].Value : "?",
    ["config"] = config,
});

model.train();
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    long started = Stopwatch.GetTimestamp();
    double lossSum = 0;
    using (DisposeScope epochScope = torch.NewDisposeScope())
    {
        Tensor order = torch.randperm(n, generator: generator);
        for (int start = 0; start < n; start += options.Batch)
        {
            // Every tensor a step makes (the batch, activations, loss, autograd's intermediates) is freed at its end,
            // so memory stays flat however many steps run.
            using DisposeScope stepScope = torch.NewDisposeScope();
            Tensor index = order[TensorIndex.Slice(start, start + options.Batch)];
            Tensor x = xTrain.index_select(0, index);
            Tensor y = yTrain.index_select(0, index);
            optimizer.zero_grad();
            Tensor loss = criterion.forward(model.forward(x), y);
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * x.shape[0];
        }
    }

    double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    Write(new Dictionary<string, object>
    {
        ["event"] = "epoch",
        ["epoch"] = epoch,
        ["ms"] = Math.Round(milliseconds, 3),
        ["loss"] = Math.Round(lossSum / n, 6),
    });
}

foreach ((string name, Parameter parameter) in model.named_parameters())
{
    if (parameter.dtype != ScalarType.Float32)
    {
        Console.Error.WriteLine($"{name} is {parameter.dtype}, expected Float32.");
        return 2;
    }
}

model.eval();
double accuracy;
using (torch.no_grad())
using (DisposeScope evaluationScope = torch.NewDisposeScope())
{
    Tensor predicted = model.forward(xTest).argmax(1);
    accuracy = predicted.eq(yTest).to(ScalarType.Float64).mean().item<double>();
}

Write(new Dictionary<string, object> { ["event"] = "accuracy", ["value"] = Math.Round(accuracy, 6) });
return 0;

static void Write(Dictionary<string, object> fields)
{
    Console.Out.WriteLine(JsonSerializer.Serialize(fields));
    Console.Out.Flush();
}

// One line naming what runs the products and the element-wise work: the BLAS libtorch was built with (a float32
// Linear on x86 goes to its sgemm), the MKL and oneDNN versions, and ATen's vector width.
static string Kernel(string config, string capability)
{
    string blas = Regex.Match(config, @"BLAS_INFO=(\w+)") is { Success: true } b ? b.Groups[1].Value : "?";
    string mkl = Regex.Match(config, @"Math Kernel Library Version ([0-9.]+)") is { Success: true } m ? $" {m.Groups[1].Value}" : string.Empty;
    string onednn = Regex.Match(config, @"(?:MKL-DNN|oneDNN) (v[0-9.]+)") is { Success: true } d ? d.Groups[1].Value : "none";
    return $"libtorch {torch.__version__}: blas {blas}{mkl}, aten {capability}, onednn {onednn}";
}
