using System.Buffers.Binary;
using System.Xml.Linq;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Persistence;

/// <summary>
/// Saving and loading at the edges: non-finite weights are neither written nor read, a stream that breaks its
/// promised length is a format error, blank and very long paths behave, and the exceptions a save can throw are the
/// documented ones.
/// </summary>
public sealed class HostileSaveAndLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nn-hostile-save-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void A_model_file_with_a_non_finite_weight_under_a_valid_checksum_is_refused_naming_where(double value, string name)
    {
        byte[] file = Encode(Small());

        // The second layer's weights (2 × 2): the last one is the last float64 before its biases (2 values).
        int biases = ModelBytes.After(file, "biases", occurrence: 2) - 1 - "biases".Length;
        BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(biases - 8), value);
        ModelBytes.Rehash(file);

        Action load = () => Network.Load<double>(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage($"*layer 1*weights*not finite*{name} at row 1, column 1*");
    }

    [Fact]
    public void A_network_holding_a_non_finite_weight_is_not_saved_so_nothing_unloadable_is_written()
    {
        Network<double> network = Small();
        string path = Path.Combine(_directory, "model.nnet");
        network.Save(path);
        byte[] before = File.ReadAllBytes(path);
        network.Parameters[0].Value[2, 1] = double.NaN;

        Action save = () => network.Save(path);
        Action toStream = () => network.Save(new MemoryStream());

        save.Should().Throw<InvalidOperationException>().WithMessage("*layer 0*weights*NaN at row 2, column 1*");
        toStream.Should().Throw<InvalidOperationException>();
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Fact]
    public void A_network_of_more_layers_than_the_format_holds_is_not_saved()
    {
        // Loading refuses more than 1,024 layers, so saving must not write them.
        Network<double> deep = new([.. Enumerable.Range(0, 1025).Select(_ => new Dense<double>(1, 1))], Loss.MeanSquaredError, seed: 1);

        Action save = () => deep.Save(new MemoryStream());

        save.Should().Throw<InvalidOperationException>().WithMessage("*1025 layers*at most 1024*");
    }

    [Fact]
    public void A_stream_that_delivers_fewer_bytes_than_its_length_promises_is_a_format_error()
    {
        byte[] file = Encode(Small());

        Action load = () => Network.Load<double>(new ShortStream(file, file.Length / 2));

        load.Should().Throw<ModelFormatException>().WithMessage($"*ended after {file.Length / 2} of the {file.Length} bytes*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Blank_paths_are_refused_and_create_nothing(string path)
    {
        string previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_directory);
        try
        {
            FluentActions.Invoking(() => Small().Save(path)).Should().Throw<ArgumentException>().WithParameterName(nameof(path));
            FluentActions.Invoking(() => Network.Load<double>(path)).Should().Throw<ArgumentException>().WithParameterName(nameof(path));
            Directory.GetFileSystemEntries(_directory).Should().BeEmpty();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [Fact]
    public void A_file_name_near_the_length_limit_saves_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_directory, new string('m', 240) + ".nnet");
        Network<double> network = Small();

        network.Save(path);

        Network.Load<double>(path).ToString().Should().Be(network.ToString());
        Directory.GetFileSystemEntries(_directory).Should().Equal(path);
    }

    [Fact]
    public void Saving_where_writing_is_denied_throws_the_documented_exception()
    {
        // sysfs refuses to create files even for root, so this holds wherever the tests run on Linux.
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/kernel"))
        {
            Assert.Fail("This test needs Linux's /sys, where creating a file is denied.");
        }

        Action save = () => Small().Save("/sys/kernel/neuralnet-test.nnet");

        save.Should().Throw<UnauthorizedAccessException>();
        SaveExceptions().Should().Contain(["T:System.IO.IOException", "T:System.UnauthorizedAccessException"]);
    }

    /// <summary>The exception types the XML docs of <c>Network&lt;T&gt;.Save(string)</c> name.</summary>
    private static string[] SaveExceptions()
    {
        XDocument docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "NeuralNet.xml"));
        XElement save = docs.Descendants("member").Single(m => (string?)m.Attribute("name") == "M:NeuralNet.Network`1.Save(System.String)");
        return [.. save.Elements("exception").Select(e => (string)e.Attribute("cref")!)];
    }

    private static Network<double> Small() => Network.Sequential<double>(3).Dense(2, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 4);

    private static byte[] Encode(Network<double> network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    /// <summary>A seekable stream whose length is the whole content's but which ends after <paramref name="delivered"/> bytes.</summary>
    private sealed class ShortStream(byte[] content, int delivered) : MemoryStream(content[..delivered])
    {
        public override long Length => content.Length;
    }
}
