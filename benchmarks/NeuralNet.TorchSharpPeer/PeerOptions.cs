using System.Globalization;

namespace NeuralNet.TorchSharpPeer;

/// <summary>The command line of the TorchSharp peer: the same options as the other peers of compare.sh.</summary>
internal sealed record PeerOptions
{
    public const string Usage =
        "usage: NeuralNet.TorchSharpPeer --data DIR [--batch B] [--epochs E] [--seed S] [--threads N] [--workload mlp|cnn]";

    public required string DataDirectory { get; init; }

    public int Batch { get; init; } = 32;

    public int Epochs { get; init; } = 10;

    public int Seed { get; init; } = 1;

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary><c>mlp</c> (the default) or <c>cnn</c>: the network trained, as in peers/reference_torch.py.</summary>
    public string Workload { get; init; } = "mlp";

    public bool Help { get; init; }

    /// <exception cref="ArgumentException">An unknown option, a missing value or a value out of range.</exception>
    public static PeerOptions Parse(IReadOnlyList<string> args)
    {
        string? data = null;
        int batch = 32, epochs = 10, seed = 1, threads = Environment.ProcessorCount;
        string workload = "mlp";
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            if (option is "-h" or "--help")
            {
                return new PeerOptions { DataDirectory = string.Empty, Help = true };
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
                case "--workload":
                    workload = value.ToUpperInvariant() switch
                    {
                        "MLP" => "mlp",
                        "CNN" => "cnn",
                        _ => throw new ArgumentException($"Expected --workload mlp or cnn, but got '{value}'."),
                    };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        if (string.IsNullOrEmpty(data))
        {
            throw new ArgumentException("Expected --data DIR.");
        }

        return new PeerOptions { DataDirectory = data, Batch = batch, Epochs = epochs, Seed = seed, Threads = threads, Workload = workload };
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
