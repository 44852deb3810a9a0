using System.Globalization;

namespace NeuralNet.Compare;

/// <summary>The command line of the comparison runner.</summary>
internal sealed record RunOptions
{
    public const string Usage =
        "usage: NeuralNet.Compare --data DIR [--batch B] [--epochs E] [--seed S] [--backend managed|openblas] [--threads N] [--workload mlp|cnn]\n"
        + "Without --backend or --threads, NeuralNet's own defaults apply (MatrixBackend.Current, MatrixBackend.ThreadCount).\n"
        + "--workload mlp (default): MLP 784-128-10, learning rate 0.1; cnn: conv 8@5x5, pool 2, conv 16@5x5, pool 2, dense 10, learning rate 0.05.";

    public required string DataDirectory { get; init; }

    public int Batch { get; init; } = 32;

    public int Epochs { get; init; } = 10;

    public int Seed { get; init; } = 1;

    /// <summary><c>managed</c>, <c>openblas</c>, or null to leave the backend NeuralNet picks on its own.</summary>
    public string? Backend { get; init; }

    /// <summary>The thread count to set, or null to leave NeuralNet's default.</summary>
    public int? Threads { get; init; }

    /// <summary>The network trained and its learning rate; <see cref="Workload.Mlp"/> unless <c>--workload</c> says otherwise.</summary>
    public Workload Workload { get; init; } = Workload.Mlp;

    public bool Help { get; init; }

    /// <exception cref="ArgumentException">An unknown option, a missing value or a value out of range.</exception>
    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        string? data = null;
        int batch = 32, epochs = 10, seed = 1;
        int? threads = null;
        string? backend = null;
        Workload workload = Workload.Mlp;
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            if (option is "-h" or "--help")
            {
                return new RunOptions { DataDirectory = string.Empty, Help = true };
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected a value after '{option}'.");
            }

            string value = args[++i];
            switch (option)
            {
                case "--data":
                    data = value;
                    break;
                case "--batch":
                    batch = Positive(option, value);
                    break;
                case "--epochs":
                    epochs = Positive(option, value);
                    break;
                case "--seed":
                    seed = Integer(option, value);
                    break;
                case "--threads":
                    threads = Positive(option, value);
                    break;
                case "--backend":
                    backend = value.ToUpperInvariant() switch
                    {
                        "MANAGED" => "managed",
                        "OPENBLAS" => "openblas",
                        _ => throw new ArgumentException($"Expected --backend managed or openblas, but got '{value}'."),
                    };
                    break;
                case "--workload":
                    workload = Workload.Parse(value);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        if (string.IsNullOrEmpty(data))
        {
            throw new ArgumentException("Expected --data DIR.");
        }

        return new RunOptions { DataDirectory = data, Batch = batch, Epochs = epochs, Seed = seed, Backend = backend, Threads = threads, Workload = workload };
    }

    private static int Integer(string option, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw new ArgumentException($"Expected an integer after '{option}', but got '{value}'.");

    private static int Positive(string option, string value)
    {
        int result = Integer(option, value);
        return result > 0 ? result : throw new ArgumentException($"Expected a positive integer after '{option}', but got '{value}'.");
    }
}
