using System.Buffers.Binary;
using System.IO.Compression;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Reading IDX files: the bundled subset, hand-made files, and every kind of malformed file, which must throw
/// <see cref="DataFormatException"/> (never an index or allocation failure).
/// </summary>
public sealed class MnistTests : IClassFixture<MnistFixture>, IDisposable
{
    private const int ImagesMagic = 2051;
    private const int LabelsMagic = 2049;

    private readonly MnistFixture _mnist;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.Mnist." + Guid.NewGuid().ToString("N"));

    public MnistTests(MnistFixture mnist)
    {
        _mnist = mnist;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>An IDX file: big-endian int32 header fields followed by the body bytes.</summary>
    private static byte[] Idx(int[] header, byte[] body)
    {
        var bytes = new byte[(header.Length * 4) + body.Length];
        for (int i = 0; i < header.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * 4), header[i]);
        }

        body.CopyTo(bytes, header.Length * 4);
        return bytes;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Two 2×3 images; pixel values chosen as multiples of 51 so that v/255 is a short decimal.
    private static readonly byte[] TinyPixels = [0, 51, 255, 102, 153, 204, 255, 0, 0, 51, 51, 102];
    private static readonly byte[] TinyLabelBytes = [7, 0];

    private static byte[] TinyImages() => Idx([ImagesMagic, 2, 2, 3], TinyPixels);

    private static byte[] TinyLabels() => Idx([LabelsMagic, 2], TinyLabelBytes);

    [Fact]
    public void The_bundled_subset_has_8000_training_and_2000_test_images_of_28_by_28()
    {
        _mnist.Train.Count.Should().Be(8000);
        _mnist.Test.Count.Should().Be(2000);
        _mnist.Train.FeatureCount.Should().Be(784);
        _mnist.Test.FeatureCount.Should().Be(784);
        _mnist.Train.ClassCount.Should().Be(10);
        _mnist.Train.Targets.ColumnCount.Should().Be(10);
        _mnist.Train.ClassNames.Should().BeNull();
    }

    [Fact]
    public void Pixels_are_bytes_scaled_into_zero_to_one_reaching_both_ends()
    {
        foreach (var data in new[] { _mnist.Train, _mnist.Test })
        {
            float[] values = data.Features.AsColumnMajorArray() ?? data.Features.ToColumnMajorArray();
            values.Min().Should().Be(0f);
            values.Max().Should().BeApproximately(1f, 1e-6f);
            // Every value is k/255 for a whole k.
            values.Should().OnlyContain(v => Math.Abs((v * 255) - MathF.Round(v * 255)) < 1e-3f);
        }
    }

    [Fact]
    public void Class_counts_match_the_README()
    {
        // samples/data/mnist-10k/README.md.
        int[] train = [801, 902, 793, 826, 784, 690, 811, 856, 755, 782];
        int[] test = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

        Enumerable.Range(0, 10).Select(c => _mnist.Train.Labels!.Count(l => l == c)).Should().Equal(train);
        Enumerable.Range(0, 10).Select(c => _mnist.Test.Labels!.Count(l => l == c)).Should().Equal(test);
    }

    [Fact]
    public void Targets_are_the_one_hot_encoding_of_the_labels()
    {
        OneHot.Decode(_mnist.Test.Targets).Should().Equal(_mnist.Test.Labels);
        _mnist.Test.Targets.RowSums().Enumerate().Should().OnlyContain(s => s == 1f);
    }

    [Fact]
    public void Raw_and_gzip_files_give_the_same_data_and_match_an_independent_decoding()
    {
        byte[] images = Gunzip(Path.Combine(MnistFixture.Directory, "t10k-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(MnistFixture.Directory, "t10k-labels-idx1-ubyte.gz"));
        Write("t10k-images-idx3-ubyte", images);
        Write("t10k-labels-idx1-ubyte", labels);

        var raw = Mnist.Load<float>(_directory, train: false);

        raw.Features.Should().Be(_mnist.Test.Features);
        raw.Labels.Should().Equal(_mnist.Test.Labels);

        // Decoding the IDX layout by hand: 16-byte header (magic, count, rows, columns), then one byte per pixel.
        BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4)).Should().Be(2000);
        labels.Skip(8).Select(b => (int)b).Should().Equal(raw.Labels);
        for (int i = 0; i < 2000; i += 7)
        {
            for (int j = 0; j < 784; j++)
            {
                raw.Features[i, j].Should().BeApproximately(images[16 + (i * 784) + j] / 255f, 1e-6f);
            }
        }
    }

    [Fact]
    public void A_hand_made_images_file_reads_as_count_rows_columns_and_pixels()
    {
        string path = Write("images", TinyImages());

        (int count, int rows, int columns, byte[] pixels) = Mnist.ReadImages(path);

        count.Should().Be(2);
        rows.Should().Be(2);
        columns.Should().Be(3);
        pixels.Should().Equal(TinyPixels);
    }

    [Fact]
    public void A_hand_made_labels_file_reads_as_its_bytes()
    {
        Mnist.ReadLabels(Write("labels", TinyLabels())).Should().Equal(TinyLabelBytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hand_made_files_load_as_a_ten_class_dataset_with_scaled_pixels(bool gzip)
    {
        string images = Write("images", gzip ? Gzip(TinyImages()) : TinyImages());
        string labels = Write("labels", gzip ? Gzip(TinyLabels()) : TinyLabels());

        var data = Mnist.Load<double>(images, labels);

        // Row-major pixels / 255: 0, 51, 255, 102, 153, 204 → 0, .2, 1, .4, .6, .8.
        double[,] expected = { { 0, 0.2, 1, 0.4, 0.6, 0.8 }, { 1, 0, 0, 0.2, 0.2, 0.4 } };
        data.Count.Should().Be(2);
        data.FeatureCount.Should().Be(6);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                data.Features[i, j].Should().BeApproximately(expected[i, j], 1e-12);
            }
        }

        data.Labels.Should().Equal(7, 0);
        data.ClassCount.Should().Be(10);
        data.Targets[0, 7].Should().Be(1);
        data.Targets.RowSums().Enumerate().Should().Equal(1.0, 1.0);
    }

    [Fact]
    public void Load_from_a_directory_finds_raw_and_gzip_file_names()
    {
        Write("train-images-idx3-ubyte", TinyImages());
        Write("train-labels-idx1-ubyte.gz", Gzip(TinyLabels()));
        Write("t10k-images-idx3-ubyte.gz", Gzip(Idx([ImagesMagic, 1, 1, 2], [255, 0])));
        Write("t10k-labels-idx1-ubyte", Idx([LabelsMagic, 1], [9]));

        var train = Mnist.Load<double>(_directory, train: true);
        var test = Mnist.Load<double>(_directory, train: false);

        train.Labels.Should().Equal(7, 0);
        test.Labels.Should().Equal(9);
        test.Features.Row(0).Enumerate().Should().Equal(1.0, 0.0);
    }

    [Fact]
    public void A_missing_directory_file_names_both_accepted_names()
    {
        Action act = () => Mnist.Load<float>(_directory, train: true);

        act.Should().ThrowExactly<FileNotFoundException>()
            .WithMessage("Expected 'train-images-idx3-ubyte' or 'train-images-idx3-ubyte.gz' in '*', but neither exists.");
    }

    [Fact]
    public void A_missing_labels_file_throws_FileNotFoundException()
    {
        string images = Write("images", TinyImages());

        Action load = () => Mnist.Load<float>(images, Path.Combine(_directory, "absent"));
        Action read = () => Mnist.ReadLabels(Path.Combine(_directory, "absent"));

        load.Should().Throw<FileNotFoundException>();
        read.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void An_images_file_with_the_labels_magic_is_rejected()
    {
        string path = Write("images", Idx([LabelsMagic, 2, 2, 3], TinyPixels));

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("*expected the IDX images magic number 2051 (0x00000803), but got 2049 (0x00000801).");
    }

    [Fact]
    public void A_labels_file_with_the_images_magic_is_rejected()
    {
        string path = Write("labels", Idx([ImagesMagic, 2], TinyLabelBytes));

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("*expected the IDX labels magic number 2049 (0x00000801), but got 2051 (0x00000803).");
    }

    [Fact]
    public void A_little_endian_header_is_reported_with_the_magic_it_read()
    {
        // 2051 written little-endian reads back big-endian as 0x03080000 = 50855936.
        byte[] bytes = TinyImages();
        bytes.AsSpan(0, 4).Reverse();
        string path = Write("images", bytes);

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage("*but got 50855936 (0x03080000).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(15)]
    public void A_truncated_images_header_is_rejected(int length)
    {
        string path = Write("images", TinyImages()[..length]);

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': expected an IDX header of 16 bytes, but the file holds only {length}.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void A_truncated_labels_header_is_rejected(int length)
    {
        string path = Write("labels", TinyLabels()[..length]);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': expected an IDX header of 8 bytes, but the file holds only {length}.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(11)]
    public void A_truncated_images_body_is_rejected(int bodyLength)
    {
        string path = Write("images", TinyImages()[..(16 + bodyLength)]);

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': the header announces 12 data bytes, but the file ends after {bodyLength}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_truncated_labels_body_is_rejected_raw_or_gzip(bool gzip)
    {
        byte[] raw = Idx([LabelsMagic, 5], [1, 2, 3]);
        string path = Write("labels", gzip ? Gzip(raw) : raw);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': the header announces 5 data bytes, but the file ends after 3.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Bytes_after_the_announced_body_are_rejected(int extra)
    {
        string images = Write("images", [.. TinyImages(), .. new byte[extra]]);
        string labels = Write("labels", [.. TinyLabels(), .. new byte[extra]]);

        Action readImages = () => Mnist.ReadImages(images);
        Action readLabels = () => Mnist.ReadLabels(labels);

        readImages.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{images}': the header announces 12 data bytes, but more data follows.");
        readLabels.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{labels}': the header announces 2 data bytes, but more data follows.");
    }

    [Theory]
    [InlineData(0, 2, 3, "image count", 0)]
    [InlineData(-1, 2, 3, "image count", -1)]
    [InlineData(2, 0, 3, "rows", 0)]
    [InlineData(2, -28, 3, "rows", -28)]
    [InlineData(2, 2, 0, "columns", 0)]
    [InlineData(2, 2, int.MinValue, "columns", int.MinValue)]
    public void Image_dimensions_that_are_not_positive_are_rejected(int count, int rows, int columns, string name, int shown)
    {
        string path = Write("images", Idx([ImagesMagic, count, rows, columns], TinyPixels));

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': expected a positive {name}, but the header says {shown}.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_label_count_that_is_not_positive_is_rejected(int count)
    {
        string path = Write("labels", Idx([LabelsMagic, count], TinyLabelBytes));

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': expected a positive label count, but the header says {count}.");
    }

    [Fact]
    public void A_header_claiming_a_billion_images_in_a_tiny_file_fails_without_allocating_for_them()
    {
        // 2^30 images of 1×1 is 1 GiB of pixels: small enough for one array, so only the body check can stop it.
        string path = Write("images", Idx([ImagesMagic, 1 << 30, 1, 1], [1, 2, 3, 4]));
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': the header announces 1073741824 data bytes, but the file ends after 4.");
        // Far below the 1 GiB claimed: the buffer grows only with data actually read.
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(64L << 20);
    }

    [Fact]
    public void A_header_claiming_a_billion_labels_in_a_tiny_file_fails_without_allocating_for_them()
    {
        string path = Write("labels", Idx([LabelsMagic, 1 << 30], [1, 2, 3]));
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': the header announces 1073741824 data bytes, but the file ends after 3.");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(64L << 20);
    }

    [Fact]
    public void A_header_claiming_more_pixels_than_an_array_holds_is_rejected()
    {
        // 2^30 · 28 · 28 ≈ 8.4e11 bytes, beyond Array.MaxLength.
        string path = Write("images", Idx([ImagesMagic, 1 << 30, 28, 28], [1, 2, 3, 4]));

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"'{path}': 1073741824 images of 28×28 need 841813590016 bytes, more than one array holds.");
    }

    [Fact]
    public void A_label_above_nine_is_rejected()
    {
        string images = Write("images", TinyImages());
        string labels = Write("labels", Idx([LabelsMagic, 2], [3, 10]));

        Action act = () => Mnist.Load<float>(images, labels);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Expected digit labels 0-9 in '{labels}', but label 1 is 10.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Image_and_label_counts_that_differ_are_rejected(int labelCount)
    {
        string images = Write("images", TinyImages());
        string labels = Write("labels", Idx([LabelsMagic, labelCount], new byte[labelCount]));

        Action act = () => Mnist.Load<float>(images, labels);

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Expected as many labels as images, but '{images}' holds 2 images and '{labels}' {labelCount} labels.");
    }

    [Fact]
    public void Garbage_after_a_gzip_signature_is_reported_as_corrupt_gzip()
    {
        var random = new Random(5101);
        byte[] bytes = new byte[64];
        random.NextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = 0x8b;
        // Compression method 8 (deflate) is the only one gzip defines; anything else is corrupt.
        bytes[2] = 0x07;
        string path = Write("images.gz", bytes);

        Action act = () => Mnist.ReadImages(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}': the gzip data is corrupt (*).")
            .WithInnerException<InvalidDataException>();
    }

    [Theory]
    [InlineData(30)]
    [InlineData(500)]
    public void A_gzip_file_cut_short_is_rejected(int keep)
    {
        byte[] gz = File.ReadAllBytes(Path.Combine(MnistFixture.Directory, "t10k-labels-idx1-ubyte.gz"));
        string path = Write("labels.gz", gz[..keep]);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}'*");
    }

    [Fact]
    public void A_gzip_file_with_overwritten_compressed_bytes_is_rejected()
    {
        byte[] gz = File.ReadAllBytes(Path.Combine(MnistFixture.Directory, "t10k-labels-idx1-ubyte.gz"));
        gz.AsSpan(400, 40).Fill(0xFF);
        string path = Write("labels.gz", gz);

        Action act = () => Mnist.ReadLabels(path);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"'{path}'*");
    }

    [Theory]
    [InlineData(3, int.MaxValue, int.MaxValue)]
    [InlineData(1 << 22, 1 << 21, 1 << 21)]
    public void Dimensions_whose_product_overflows_are_rejected_before_anything_is_read(int count, int rows, int columns)
    {
        // Multiplied in 32 or even 64 bits these wrap to small or negative sizes; they must be caught as too large.
        string images = Write("overflow-images", Idx([ImagesMagic, count, rows, columns], []));

        Action act = () => Mnist.ReadImages(images);

        act.Should().ThrowExactly<DataFormatException>().WithMessage("*more than one array holds*");
    }
}
