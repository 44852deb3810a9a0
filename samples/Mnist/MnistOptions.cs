using System.Globalization;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Samples.Mnist;

/// <summary>The sample's command-line options.</summary>
internal sealed record MnistOptions
{
    public const string Usage = """
        usage: dotnet run --project samples/Mnist -c Release -- [options]
          --data DIR            MNIST IDX files (train-*/t10k-*, raw or .gz); default: the bundled 10k subset
          --epochs N            default 10
          --batch-size N        mini-batch size for mbgd; default 32
          --optimizer NAME      bgd | sgd | mbgd; default mbgd
          --learning-rate X     starting rate, annealed by a cosine schedule; default 0.1
          --rule NAME           plain | momentum | nesterov | rmsprop | adam; default momentum
          --hidden N[,N...]     hidden ReLU layers' units, first to last (512,256: two layers); default 256
          --dropout RATE        dropout after each hidden layer, RATE in [0, 1); default none
          --batch-norm          batch normalisation after each hidden layer (not with sgd: it needs batches of 2 or more)
          --seed N              default 1
          --save PATH           where to save the model; default mnist.nnet
        """;

    public string DataDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 32;

    public string Optimizer { get; init; } = "mbgd";

    public double LearningRate { get; init; } = 0.1;

    public string RuleName { get; init; } = "momentum";

    public int Seed { get; init; } = 1;

    public IReadOnlyList<int> Hidden { get; init; } = [256];

    public string SavePath { get; init; } = "mnist.nnet";

    public double Dropout { get; init; }

    public bool BatchNorm { get; init; }

    public bool Help { get; init; }

    public GradientDescent Descent => Optimizer switch
    {
        "bgd" => new BatchGradientDescent(),
        "sgd" => new StochasticGradientDescent(),
        _ => new MiniBatchGradientDescent(BatchSize),
    };

    public UpdateRule Rule => RuleName switch
    {
        "plain" => new Plain(),
        "nesterov" => new Nesterov(),
        "rmsprop" => new RmsProp(),
        "adam" => new Adam(),
        _ => new Momentum(),
    };

    public static MnistOptions Parse(string[] args)
    {
        var options = new MnistOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                return options with { Help = true };
            }

            if (name == "--batch-norm")
            {
                options = options with { BatchNorm = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} expects a value, but none follows.");
            }

            string value = args[++i];
            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--epochs" => options with { Epochs = Positive(name, value) },
                "--batch-size" => options with { BatchSize = Positive(name, value) },
                "--optimizer" => options with { Optimizer = OneOf(name, value, "bgd", "sgd", "mbgd") },
                "--learning-rate" => options with { LearningRate = PositiveNumber(name, value) },
                "--rule" => options with { RuleName = OneOf(name, value, "plain", "momentum", "nesterov", "rmsprop", "adam") },
                "--hidden" => options with { Hidden = [.. value.Split(',').Select(size => Positive(name, size))] },
                "--seed" => options with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : throw new ArgumentException($"--seed expects an integer, but got '{value}'.") },
                "--save" => options with { SavePath = value },
                "--dropout" => options with { Dropout = Rate(name, value) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (options.BatchNorm && options.Optimizer == "sgd")
        {
            throw new ArgumentException("--batch-norm needs batches of 2 or more samples, but --optimizer sgd trains on one at a time; use mbgd or bgd.");
        }

        return options;
    }

    private static double Rate(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && x < 1
            ? x
            : throw new ArgumentException($"{name} expects a rate in [0, 1), but got '{value}'.");

    private static int Positive(string name, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} expects a positive integer, but got '{value}'.");

    private static double PositiveNumber(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x
            : throw new ArgumentException($"{name} expects a positive number, but got '{value}'.");

    private static string OneOf(string name, string value, params string[] allowed)
        => allowed.Contains(value) ? value : throw new ArgumentException($"{name} expects one of {string.Join(", ", allowed)}, but got '{value}'.");
}
