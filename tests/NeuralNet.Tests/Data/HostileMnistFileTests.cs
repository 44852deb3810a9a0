using System.Buffers.Binary;
using System.IO.Compression;
using FluentAssertions.Execution;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// IDX files built to exhaust memory or to load what they should not: gzip bombs behind headers that claim billions of
/// images, gzip files whose trailer is missing, cut or followed by other bytes. Each must throw
/// <see cref="DataFormatException"/>, allocating no more than a small multiple of the file's own size; the bundled
/// subset must still load within the size of its content.
/// </summary>
/// <remarks>
/// The stated rule (see <see cref="Mnist"/>): a gzip file may inflate to at most 32 times its own size, or 1 MiB when
/// that is more; the body of a file is allocated once, at the size its header announces, and only after that size has
/// been checked against what the file can hold.
/// </remarks>
public sealed class HostileMnistFileTests : IDisposable
{
    private const int ImagesMagic = 2051;
    private const int LabelsMagic = 2049;

    // Far above what the refused files could justify, far below what the bombs used to allocate.
    private const long SmallAllocation = 256 * 1024;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.HostileMnist." + Guid.NewGuid().ToString("N"));

    public HostileMnistFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// A gzip file of big-endian int32 header fields followed by <paramref name="zeros"/> zero bytes, written in
    /// pieces so the test never holds the inflated content; zeros deflate about 1000-fold.
    /// </summary>
    private string GzipOfZeros(string name, int[] header, long zeros)
    {
        string path = Path.Combine(_directory, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            Span<byte> field = stackalloc byte[4];
            foreach (int value in header)
            {
                BinaryPrimitives.WriteInt32BigEndian(field, value);
                gzip.Write(field);
            }

            byte[] block = new byte[1 << 16];
            for (long left = zeros; left > 0; left -= block.Length)
            {
                gzip.Write(block, 0, (int)Math.Min(block.Length, left));
            }
        }

        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] BundledLabels() => File.ReadAllBytes(Path.Combine(MnistFixture.Directory, "t10k-labels-idx1-ubyte.gz"));

    private static void ShouldFailSmall((long Bytes, Exception? Error) outcome, string message)
    {
        using (new AssertionScope())
        {
            outcome.Bytes.Should().BeLessThan(SmallAllocation, "a refused file may not cost more than a small multiple of its size");
            outcome.Error.Should().BeOfType<DataFormatException>().Which.Message.Should().Match(message);
        }
    }

    [Fact]
    public void A_gzip_bomb_behind_a_header_claiming_two_billion_images_is_refused_before_inflating()
    {
        // 16 KB of gzip inflating to 16 MiB, announcing 2·10^9 one-pixel images: the claim alone exceeds the ratio.
        string path = GzipOfZeros("bomb-images.gz", [ImagesMagic, 2_000_000_000, 1, 1], 16 << 20);
        long size = new FileInfo(path).Length;

        var outcome = Allocation.Measure(() => Mnist.ReadImages(path));

        ShouldFailSmall(outcome, $"'{path}': the header announces 2000000000 data bytes, but a gzip file of {size} bytes may inflate to at most 1048576 (32 times its size, or 1 MiB)*");
    }

    [Fact]
    public void A_well_formed_gzip_that_inflates_past_the_ratio_is_refused_without_allocating_its_content()
    {
        // Header and content agree (16 Mi one-pixel images, 16 MiB), and the CRC trailer is right: only the ratio stops it.
        string path = GzipOfZeros("deflated-images.gz", [ImagesMagic, 16 << 20, 1, 1], 16 << 20);

        var outcome = Allocation.Measure(() => Mnist.ReadImages(path));

        ShouldFailSmall(outcome, "*announces 16777216 data bytes, but a gzip file of * bytes may inflate to at most 1048576*");
    }

    [Fact]
    public void A_labels_bomb_is_refused_by_the_same_ratio()
    {
        string path = GzipOfZeros("bomb-labels.gz", [LabelsMagic, 1 << 30], 8 << 20);

        var outcome = Allocation.Measure(() => Mnist.ReadLabels(path));

        ShouldFailSmall(outcome, "*announces 1073741824 data bytes, but a gzip file of * bytes may inflate to at most 1048576*");
    }

    [Fact]
    public void Two_tiny_gzips_of_two_million_one_pixel_images_are_refused_before_the_dataset_is_built()
    {
        // Each file is about 2 KB; loading them as they claim would take 2 MB of bytes, 8 MB of pixels and 80 MB of
        // one-hot targets (float), about 20,000 times the files' size.
        string images = GzipOfZeros("tiny-images.gz", [ImagesMagic, 2_000_000, 1, 1], 2_000_000);
        string labels = GzipOfZeros("tiny-labels.gz", [LabelsMagic, 2_000_000], 2_000_000);

        var outcome = Allocation.Measure(() => Mnist.Load<float>(images, labels));

        ShouldFailSmall(outcome, $"'{images}': the header announces 2000000 data bytes, but a gzip file of * bytes may inflate to at most 1048576*");
    }

    [Fact]
    public void A_header_within_the_ratio_but_more_data_behind_it_stops_at_the_announced_length()
    {
        // 1 MiB announced (the allowance), 16 MiB present: reading stops one byte past the announced body.
        string path = GzipOfZeros("longer-labels.gz", [LabelsMagic, 1 << 20], 16 << 20);

        var outcome = Allocation.Measure(() => Mnist.ReadLabels(path));

        using (new AssertionScope())
        {
            outcome.Bytes.Should().BeLessThan((1 << 20) + SmallAllocation, "only the announced body is ever allocated");
            outcome.Error.Should().BeOfType<DataFormatException>().Which.Message.Should().Be($"'{path}': the header announces 1048576 data bytes, but more data follows.");
        }
    }

    [Fact]
    public void The_bundled_subset_reads_and_loads_within_the_size_of_its_content()
    {
        string images = Path.Combine(MnistFixture.Directory, "t10k-images-idx3-ubyte.gz");

        var read = Allocation.Measure(() => Mnist.ReadImages(images));
        var load = Allocation.Measure(() => Mnist.Load<float>(MnistFixture.Directory, train: false));

        // ReadImages: the pixels once as bytes. Load streams them into floats, never holding them as bytes, and adds
        // the label bytes, the labels and the one-hot targets (2,000 × 10 floats).
        const long body = 2000 * 784;
        const long dataset = 2000 + (body * sizeof(float)) + (2000 * sizeof(int)) + (2000 * 10 * sizeof(float));
        using (new AssertionScope())
        {
            read.Error.Should().BeNull();
            load.Error.Should().BeNull();
            read.Bytes.Should().BeInRange(body, body + SmallAllocation);
            load.Bytes.Should().BeInRange(dataset, dataset + SmallAllocation);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    public void A_gzip_file_whose_trailer_is_missing_or_cut_is_rejected(int cut)
    {
        // The last 8 bytes are the CRC-32 and the length of the inflated data; the deflate stream ends before them,
        // so a reader that does not look for them loads the file as if it were whole.
        byte[] gz = BundledLabels();
        string path = Write("labels.gz", gz[..^cut]);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}': the gzip trailer*does not match*");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 })]
    [InlineData(new byte[] { (byte)'j', (byte)'u', (byte)'n', (byte)'k' })]
    public void Bytes_after_the_gzip_trailer_are_rejected(byte[] extra)
    {
        string path = Write("labels.gz", [.. BundledLabels(), .. extra]);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}': the gzip trailer*does not match*");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void A_gzip_trailer_with_a_wrong_checksum_or_length_is_rejected(int fromEnd)
    {
        byte[] gz = BundledLabels();
        gz[^fromEnd] ^= 0x01;
        string path = Write("labels.gz", gz);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}'*");
    }

    [Fact]
    public void A_gzip_signature_without_room_for_a_header_and_trailer_is_rejected()
    {
        string path = Write("short.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}': a gzip file holds at least 18 bytes (header and trailer), but this one holds 12.");
    }

    [Fact]
    public void Every_truncation_of_a_gzip_file_is_rejected()
    {
        byte[] gz = BundledLabels();
        var loaded = new List<int>();
        for (int keep = 2; keep < gz.Length; keep++)
        {
            string path = Write($"cut-{keep}.gz", gz[..keep]);
            try
            {
                Mnist.ReadLabels(path);
                loaded.Add(keep);
            }
            catch (DataFormatException)
            {
                // The expected outcome; any other exception fails the test.
            }
            finally
            {
                File.Delete(path);
            }
        }

        loaded.Should().BeEmpty("a gzip file cut anywhere must not load");
    }
}
