using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Components;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Files written by every released model-format version load forever: each committed file under Persistence/Files
/// loads with exactly the parameters it was written with and predicts what the writing version predicted; each
/// checkpoint resumes to the end of the run it was taken from (see Persistence/Files/README.md).
/// </summary>
public sealed class FormatCompatibilityTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Persistence", "Files");

    /// <summary>Every committed file, as "version/name".</summary>
    public static TheoryData<string> Files() => Named(_ => true);

    /// <summary>Every committed checkpoint, as "version/name".</summary>
    public static TheoryData<string> Checkpoints() => Named(description => (string)description["kind"]! == "checkpoint");

    private static TheoryData<string> Named(Func<JsonNode, bool> select)
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (select(JsonNode.Parse(File.ReadAllText(file))!))
            {
                data.Add(Path.GetRelativePath(Root, file)[..^".json".Length].Replace('\\', '/'));
            }
        }

        return data;
    }

    [Fact]
    public void Every_format_version_has_models_and_checkpoints_in_both_precisions()
    {
        string[] versions = [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        versions.Should().Contain(["v1", "v2", "v3"]);
        foreach (string version in versions)
        {
            JsonNode[] descriptions = [.. Directory.EnumerateFiles(Path.Combine(Root, version), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)];
            foreach (string kind in new[] { "model", "checkpoint" })
            {
                foreach (string precision in new[] { "Single", "Double" })
                {
                    descriptions.Should().Contain(d => (string)d["kind"]! == kind && (string)d["precision"]! == precision, because: $"{version} needs a {kind} in {precision}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_saved_file_loads_with_its_exact_parameters_and_predictions(string name)
    {
        JsonNode description = Describe(name);
        if ((string)description["precision"]! == "Single")
        {
            LoadsAsWritten<float>(name, description, 1e-5);
        }
        else
        {
            LoadsAsWritten<double>(name, description, 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void A_checkpoint_resumes_to_the_end_of_its_run(string name)
    {
        JsonNode description = Describe(name);
        if ((string)description["precision"]! == "Single")
        {
            Resumes<float>(name, description, 1e-4);
        }
        else
        {
            Resumes<double>(name, description, 1e-9);
        }
    }

    private static JsonNode Describe(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, name + ".json")))!;

    private static string PathOf(string name, JsonNode description) => Path.Combine(Root, Path.GetDirectoryName(name)!, (string)description["file"]!);

    private static void LoadsAsWritten<T>(string name, JsonNode description, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string path = PathOf(name, description);
        Network<T> network = (string)description["kind"]! == "model" ? Network.Load<T>(path) : TrainingCheckpoint.Load<T>(path).Network;

        ParametersSha256(network).Should().Be((string)description["parametersSha256"]!, because: "every parameter must load bit for bit");
        ShouldBeClose(network.Predict(ToMatrix<T>(description["inputs"]!)), Rows(description["predictions"]!), tolerance);
        network.ToString().Should().Be((string)description["network"]!, because: "the layers load with their configurations");
        ShouldBeNames(network.FeatureNames, description["featureNames"], "feature names travel from format 3 on, and older files have none");
        ShouldBeNames(network.ClassNames, description["classNames"], "class names travel from format 3 on, and older files have none");
        if (description["targetMean"] is { } mean)
        {
            network.TargetScaler!.Mean!.Select(double.CreateChecked).Should().Equal(mean.AsArray().Select(v => (double)v!));
            network.TargetScaler.StandardDeviation!.Select(double.CreateChecked).Should().Equal(description["targetStandardDeviation"]!.AsArray().Select(v => (double)v!));
            ShouldBeClose(network.PredictInTargetUnits(ToMatrix<T>(description["inputs"]!)), Rows(description["predictionsInTargetUnits"]!), tolerance);
        }
        else
        {
            network.TargetScaler.Should().BeNull();
        }
    }

    [Fact]
    public void Format_3_files_hold_a_normalisation_layer_names_and_a_target_scaler()
    {
        JsonNode[] v3 = [.. Directory.EnumerateFiles(Path.Combine(Root, "v3"), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)];

        v3.Should().Contain(d => ((string)d["network"]!).StartsWith("Network<float>: Normalization(", StringComparison.Ordinal) && d["classNames"] != null && d["featureNames"] != null);
        v3.Should().Contain(d => ((string)d["network"]!).StartsWith("Network<double>: Normalization(", StringComparison.Ordinal) && d["targetMean"] != null);
        v3.Should().Contain(d => (string)d["kind"]! == "checkpoint" && d["classNames"] != null);
    }

    private static void Resumes<T>(string name, JsonNode description, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TrainingCheckpoint<T> checkpoint = TrainingCheckpoint.Load<T>(PathOf(name, description));
        checkpoint.CompletedEpochs.Should().Be((int)description["completedEpochs"]!);
        checkpoint.History.Select(r => r.Loss).Should().Equal(description["historyLosses"]!.AsArray().Select(v => (double)v!));

        JsonNode options = description["options"]!;
        var training = new TrainingOptions
        {
            Epochs = (int)options["epochs"]!,
            LearningRate = (double)options["learningRate"]!,
            UpdateRule = Rule(options["updateRule"]!),
            GradientDescent = (string)options["gradientDescent"]! switch
            {
                "bgd" => new BatchGradientDescent(),
                "sgd" => new StochasticGradientDescent(),
                _ => new MiniBatchGradientDescent((int)options["batchSize"]!),
            },
            Seed = (int)options["seed"]!,
            ValidationFraction = (double)options["validationFraction"]!,
            WeightDecay = (double)options["weightDecay"]!,
            EarlyStopping = options["earlyStoppingPatience"] is { } patience ? new EarlyStopping((int)patience, 0, restoreBestWeights: true) : null,
        };
        Matrix<T> inputs = ToMatrix<T>(description["inputs"]!);
        TrainingHistory history = (bool)description["classification"]!
            ? checkpoint.Resume(inputs, [.. description["labels"]!.AsArray().Select(v => (int)v!)], training)
            : checkpoint.Resume(inputs, ToMatrix<T>(description["targets"]!), training);

        double[] expectedLosses = [.. description["resumedLosses"]!.AsArray().Select(v => (double)v!)];
        history.Epochs.Should().HaveCount(expectedLosses.Length);
        for (int e = 0; e < expectedLosses.Length; e++)
        {
            history.Epochs[e].Loss.Should().BeApproximately(expectedLosses[e], tolerance * Math.Max(1, Math.Abs(expectedLosses[e])), because: $"epoch {e + 1}'s loss");
        }

        ShouldBeClose(checkpoint.Network.Predict(inputs), Rows(description["resumedPredictions"]!), tolerance);
    }

    /// <summary>The rule the description names, rebuilt through the registry from its name and hyper-parameters.</summary>
    private static UpdateRule Rule(JsonNode rule)
    {
        var config = new ComponentConfig();
        foreach ((string key, JsonNode? value) in rule.AsObject().Where(entry => entry.Key != "name"))
        {
            config.Set(key, (double)value!);
        }

        return ComponentRegistry.UpdateRules.Create((string)rule["name"]!, config);
    }

    /// <summary>Checks loaded names against those a description lists, or that there are none when it lists none.</summary>
    private static void ShouldBeNames(IReadOnlyList<string>? actual, JsonNode? expected, string because)
    {
        if (expected is null)
        {
            actual.Should().BeNull(because);
        }
        else
        {
            actual.Should().Equal(expected.AsArray().Select(n => (string)n!), because);
        }
    }

    private static double[][] Rows(JsonNode rows) => [.. rows.AsArray().Select(r => r!.AsArray().Select(v => (double)v!).ToArray())];

    private static Matrix<T> ToMatrix<T>(JsonNode rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[][] values = Rows(rows);
        return Matrix<T>.Build.Dense(values.Length, values[0].Length, (i, j) => T.CreateChecked(values[i][j]));
    }

    private static void ShouldBeClose<T>(Matrix<T> actual, double[][] expected, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            actual.ColumnCount.Should().Be(expected[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
            {
                double value = double.CreateChecked(actual[i, j]);
                value.Should().BeApproximately(expected[i][j], tolerance * Math.Max(1, Math.Abs(expected[i][j])), because: $"prediction [{i}, {j}]");
            }
        }
    }

    private static string ParametersSha256<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter<T> parameter in network.Parameters)
        {
            hash.AppendData(MemoryMarshal.AsBytes(parameter.Value.ToColumnMajorArray().AsSpan()));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
