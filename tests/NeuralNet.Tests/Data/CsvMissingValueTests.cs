using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Texts that mean a missing value (<see cref="CsvOptions.MissingValues"/>, such as <c>NA</c> or <c>?</c>): a feature
/// cell holding one is an empty cell under the empty-cell policy, when the file is read whole or in batches. Without
/// the option such text is refused as not a number, as before.
/// </summary>
public sealed class CsvMissingValueTests : IDisposable
{
    // Column a: 1, 3 and "NA" (mean 2); column b: "?", 4 and " 8" (mean 6).
    private const string Marked = "a,b,y\n1,?,0\n3,4,1\nNA, 8,0\n";

    private static readonly CsvOptions MeanOfMarked = new() { EmptyCells = CsvEmptyCells.FillWithMean, MissingValues = ["NA", "?"] };

    private readonly string _directory = Directory.CreateTempSubdirectory("nn-csv-missing-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static Dataset<double> Read(string text, CsvOptions? options = null) => Csv.Read<double>(new StringReader(text), options);

    [Fact]
    public void Marked_cells_are_filled_like_empty_cells()
    {
        Dataset<double> data = Read(Marked, MeanOfMarked);

        data.Features.Should().Be(Matrix<double>.Build.DenseOfRowArrays([1, 6], [3, 4], [2, 8]));
        data.FillValues.Should().Equal(2.0, 6.0);
    }

    [Fact]
    public void A_marked_cell_is_refused_by_default_naming_the_marker_line_and_column()
    {
        Action act = () => Read(Marked, new CsvOptions { MissingValues = ["NA", "?"] });

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 2 ('b'): expected a finite number, but the cell holds '?', which CsvOptions.MissingValues marks as missing;*");
    }

    [Fact]
    public void Without_the_option_a_marker_is_text_that_is_not_a_number()
    {
        Action act = () => Read(Marked, new CsvOptions { EmptyCells = CsvEmptyCells.FillWithMean });

        act.Should().ThrowExactly<DataFormatException>().WithMessage("Line 2, column 2 ('b'): expected a finite number, but got '?'.");
    }

    [Fact]
    public void Markers_compare_whole_and_case_sensitive_and_quoted_text_is_never_a_marker()
    {
        var options = MeanOfMarked with { EmptyCells = CsvEmptyCells.FillWithConstant, FillValue = -1 };

        Read("a,y\nNA,0\n5,1\n", options).Features.Column(0).Should().Equal(Vector<double>.Build.DenseOfArray([-1, 5]));
        Action lower = () => Read("a,y\nna,0\n5,1\n", options);
        Action longer = () => Read("a,y\nNAN,0\n5,1\n", options);
        Action quoted = () => Read("a,y\n\"N\"\"A\",0\n5,1\n", options);

        lower.Should().Throw<DataFormatException>().WithMessage("*but got 'na'*");
        longer.Should().Throw<DataFormatException>().WithMessage("*but got 'NAN'*");
        quoted.Should().Throw<DataFormatException>().WithMessage("*expected a finite number*");
    }

    [Fact]
    public void A_numeric_sentinel_is_a_missing_value_not_a_number()
    {
        Dataset<double> data = Read("a,y\n-999,0\n4,1\n2,0\n", new CsvOptions { EmptyCells = CsvEmptyCells.FillWithMean, MissingValues = ["-999"] });

        data.Features.Column(0).Should().Equal(Vector<double>.Build.DenseOfArray([3, 4, 2]));
    }

    [Fact]
    public void A_marked_target_is_refused()
    {
        Action act = () => Read("a,y\n1,NA\n2,3\n", MeanOfMarked with { Classification = false });

        act.Should().Throw<DataFormatException>().WithMessage("Line 2, column 2 ('y'): expected a finite number, but got 'NA'.");
    }

    [Fact]
    public void Batches_read_markers_as_missing_and_fill_them_with_the_first_pass_means()
    {
        string path = Path.Combine(_directory, "marked.csv");
        File.WriteAllText(path, Marked);

        List<DataBatch<double>> batches = [.. Csv.ReadBatches<double>(path, 3, MeanOfMarked).Select(b => new DataBatch<double>(b.Inputs.Clone(), b.Targets.Clone()))];

        batches.Should().ContainSingle().Which.Inputs.Should().Be(Matrix<double>.Build.DenseOfRowArrays([1, 6], [3, 4], [2, 8]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" NA")]
    [InlineData("a,b")]
    [InlineData("\"")]
    public void A_marker_that_no_cell_could_hold_is_refused(string marker)
    {
        Action act = () => Read(Marked, new CsvOptions { MissingValues = [marker] });

        act.Should().Throw<ArgumentException>().WithMessage($"CsvOptions.MissingValues[0] must be a cell's text, not empty, without surrounding whitespace, the separator or quotes, but is '{marker}'.*");
    }
}
