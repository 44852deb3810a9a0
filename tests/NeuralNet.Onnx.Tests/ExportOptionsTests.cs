using NeuralNet.Onnx.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Onnx.Tests;

/// <summary>Bad arguments to export and import fail at once, naming what was expected and what came in.</summary>
public class ExportOptionsTests
{
    private readonly Network<float> _network = Architectures.Build<float>("relu-softmax-classifier");

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    [InlineData(0)]
    public void An_opset_outside_13_to_21_is_refused(int opset)
    {
        Action export = () => OnnxModel.ExportToBytes(_network, new OnnxExportOptions { OpsetVersion = opset });
        export.Should().Throw<ArgumentException>().WithMessage($"OpsetVersion must be from 13 to 21, but got {opset}.*");
    }

    [Theory]
    [InlineData("", "output", "InputName")]
    [InlineData("input", " ", "OutputName")]
    [InlineData("x", "x", "InputName and OutputName must differ*")]
    [InlineData("dense0.weight", "output", "InputName 'dense0.weight' would clash*")]
    public void Bad_names_are_refused(string input, string output, string message)
    {
        Action export = () => OnnxModel.ExportToBytes(_network, new OnnxExportOptions { InputName = input, OutputName = output });
        export.Should().Throw<ArgumentException>().WithMessage($"{message}*");
    }

    [Fact]
    public void An_empty_batch_dimension_name_is_refused()
    {
        Action export = () => OnnxModel.ExportToBytes(_network, new OnnxExportOptions { BatchDimensionName = "" });
        export.Should().Throw<ArgumentException>().WithMessage("BatchDimensionName must be a non-empty name*");
    }

    [Fact]
    public void Undefined_enum_values_are_refused()
    {
        Action export = () => OnnxModel.ExportToBytes(_network, new OnnxExportOptions { Output = (OnnxOutput)7 });
        export.Should().Throw<ArgumentException>().WithMessage("*must be values their enums define*");
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        FluentActions.Invoking(() => OnnxModel.ExportToBytes<float>(null!)).Should().Throw<ArgumentNullException>().WithParameterName("network");
        FluentActions.Invoking(() => OnnxModel.Export(_network, (Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        FluentActions.Invoking(() => OnnxModel.Export(_network, " ")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => OnnxModel.Import<float>((Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        FluentActions.Invoking(() => OnnxModel.Import<float>("")).Should().Throw<ArgumentException>().WithParameterName("path");
    }

    [Fact]
    public void Streams_must_be_writable_or_readable()
    {
        using var readOnly = new MemoryStream(new byte[16], writable: false);
        FluentActions.Invoking(() => OnnxModel.Export(_network, readOnly)).Should().Throw<ArgumentException>().WithMessage("The stream to export to must be writable.*");

        using var writeOnly = new WriteOnlyStream();
        FluentActions.Invoking(() => OnnxModel.Import<float>(writeOnly)).Should().Throw<ArgumentException>().WithMessage("The stream to import from must be readable.*");
    }

    [Fact]
    public void Import_builds_only_float_and_double_networks()
    {
        byte[] model = OnnxModel.ExportToBytes(_network);
        FluentActions.Invoking(() => OnnxModel.Import<Half>(model)).Should().Throw<NotSupportedException>().WithMessage("*float and double networks, but got Half*");
    }

    [Fact]
    public void A_failed_export_to_a_file_leaves_the_previous_file_and_no_temporary()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "model.onnx");
            File.WriteAllText(path, "previous");

            // A bad option fails before anything is written.
            FluentActions.Invoking(() => OnnxModel.Export(_network, path, new OnnxExportOptions { OpsetVersion = 5 })).Should().Throw<ArgumentException>();
            File.ReadAllText(path).Should().Be("previous");

            OnnxModel.Export(_network, path);
            Directory.GetFiles(directory).Should().ContainSingle().Which.Should().Be(path);
            OnnxModel.Import<float>(path).OutputSize.Should().Be(5);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Export_while_another_thread_trains_the_network_is_refused()
    {
        Network<float> network = Architectures.Build<float>("relu-softmax-classifier");
        using var inEpoch = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var options = new TrainingOptions
        {
            Epochs = 2,
            Progress = new SynchronousProgress<EpochRecord>(_ =>
            {
                inEpoch.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }),
        };
        Task training = Task.Run(() => network.Fit(Architectures.Inputs<float>(40, 12, seed: 1), [.. Enumerable.Range(0, 40).Select(i => i % 5)], options));
        try
        {
            inEpoch.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
            FluentActions.Invoking(() => OnnxModel.ExportToBytes(network)).Should().Throw<InvalidOperationException>();
        }
        finally
        {
            release.Set();
            await training.WaitAsync(TimeSpan.FromSeconds(30));
        }

        OnnxModel.ExportToBytes(network).Should().NotBeEmpty("once training ends, export works");
    }

    private sealed class WriteOnlyStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    [Fact]
    public void A_file_name_near_the_length_limit_exports_and_leaves_no_temporary_file()
    {
        string directory = Directory.CreateTempSubdirectory("nn-onnx-long-").FullName;
        try
        {
            string path = Path.Combine(directory, new string('m', 245) + ".onnx");

            OnnxModel.Export(Architectures.Build<float>("relu-softmax-classifier"), path);

            Directory.GetFileSystemEntries(directory).Should().Equal(path);
            OnnxModel.Import<float>(path).Layers.Should().NotBeEmpty();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
