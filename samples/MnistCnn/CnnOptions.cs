using System.Globalization;

namespace MnistCnn;

/// <summary>The sample's command-line options.</summary>
public sealed record CnnOptions
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        usage: dotnet run --project samples/MnistCnn -c Release -- [options]
          --data DIR            MNIST IDX files (train-*/t10k-*, raw or .gz); default: the bundled 10k subset
          --epochs N            default 15
          --batch-size N        default 32
          --learning-rate X     starting rate of SGD with momentum 0.9, annealed by a cosine schedule; default 0.05
          --weight-decay X      L2 weight decay on the weights; default 0.0005
          --shift N             move each training image by up to N pixels each way, afresh every epoch; default 1 (0: none)
          --seed N              default 1
          --train-limit N       train on the first N training images only; default all
          --out DIR             where the model and the picture go; default the current directory
        """;

    /// <summary>The directory of the IDX files.</summary>
    public string DataDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Samples per mini-batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The starting learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>The L2 weight decay on the weights (not the biases).</summary>
    public double WeightDecay { get; init; } = 0.0005;

    /// <summary>The largest random shift of a training image along each axis, drawn afresh every epoch; 0 for none.</summary>
    public int Shift { get; init; } = 1;

    /// <summary>Seeds the weights and the shuffling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Train on this many images at most; 0 for all.</summary>
    public int TrainLimit { get; init; }

    /// <summary>Where the model and the picture are written.</summary>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>Whether to print the usage and stop.</summary>
    public bool Help { get; init; }

    /// <summary>Reads the options from the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or has a value out of range.</exception>
    public static CnnOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new CnnOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                options = options with { Help = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.", nameof(args));
            }

            string value = args[++i];
            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--epochs" => options with { Epochs = Positive(name, value) },
                "--batch-size" => options with { BatchSize = Positive(name, value) },
                "--learning-rate" => options with { LearningRate = PositiveNumber(name, value) },
                "--weight-decay" => options with { WeightDecay = NonNegativeNumber(name, value) },
                "--shift" => options with { Shift = NonNegative(name, value) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--train-limit" => options with { TrainLimit = Positive(name, value) },
                "--out" => options with { OutputDirectory = value },
                _ => throw new ArgumentException($"Unknown option '{name}'.", nameof(args)),
            };
        }

        return options;
    }

    private static int Positive(string name, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} expects a positive whole number, but got '{value}'.", nameof(value));

    private static int NonNegative(string name, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new ArgumentException($"{name} expects a whole number of at least 0, but got '{value}'.", nameof(value));

    private static double NonNegativeNumber(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && double.IsFinite(x)
            ? x
            : throw new ArgumentException($"{name} expects a finite number of at least 0, but got '{value}'.", nameof(value));

    private static double PositiveNumber(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x
            : throw new ArgumentException($"{name} expects a positive number, but got '{value}'.", nameof(value));
}
