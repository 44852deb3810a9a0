using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Empty feature cells (<see cref="CsvOptions.EmptyCells"/>): refused by default naming line and column, or filled
/// with the column's mean over the file's non-empty cells, a constant, or given values, and the values used returned
/// in <see cref="Dataset{T}.FillValues"/>. Targets are never filled.
/// </summary>
public class CsvEmptyCellTests
{
    // Column a: 1, 3 and an empty cell (mean 2); column b: an empty cell, 4 and 8 written as "  " and "" (mean 6).
    private const string Gaps = "a,b,y\n1,,0\n3,4,1\n,8,0\n";

    private static readonly CsvOptions Mean = new() { EmptyCells = CsvEmptyCells.FillWithMean };

    private static Dataset<double> Read(string text, CsvOptions? options = null) => Csv.Read<double>(new StringReader(text), options);

    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    [Fact]
    public void An_empty_feature_cell_is_refused_by_default_naming_line_column_and_header()
    {
        Action act = () => Read(Gaps);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 2 ('b'): expected a finite number, but the cell is empty; CsvOptions.EmptyCells can fill empty feature cells with the column's mean or a constant.").Which;
        error.Line.Should().Be(2);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void The_mean_of_the_column_s_non_empty_cells_fills_its_empty_cells_and_is_returned()
    {
        var data = Read(Gaps, Mean);

        data.Features.Should().Be(Rows([1, 6], [3, 4], [2, 8]));
        data.FillValues.Should().Equal(2.0, 6.0);
    }

    [Fact]
    public void Whitespace_and_empty_quotes_are_empty_cells()
    {
        var data = Read("a,b,y\n1,  ,0\n3,\"\",1\n5,\" \",0\n7,10,1\n", Mean);

        data.Features.Column(1).Should().Equal(Vector<double>.Build.DenseOfArray([10, 10, 10, 10]));
    }

    [Fact]
    public void A_mean_is_returned_for_every_column_even_one_without_an_empty_cell()
    {
        var data = Read("a,b,y\n1,2,0\n3,,1\n", Mean);

        data.FillValues.Should().Equal(2.0, 2.0);
    }

    [Fact]
    public void A_column_with_no_value_to_average_is_refused_at_its_first_empty_cell()
    {
        Action act = () => Read("a,b,y\n1,,0\n3,,1\n", Mean);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 2 ('b'): every cell of the column is empty, so there is no mean to fill it with.").Which;
        error.Line.Should().Be(2);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void A_constant_fills_every_empty_cell()
    {
        var data = Read(Gaps, new CsvOptions { EmptyCells = CsvEmptyCells.FillWithConstant, FillValue = -1 });

        data.Features.Should().Be(Rows([1, -1], [3, 4], [-1, 8]));
        data.FillValues.Should().Equal(-1.0, -1.0);
    }

    [Fact]
    public void Given_values_fill_each_column_in_feature_order()
    {
        // Features read as b, a: the fill values are in that order too.
        var options = new CsvOptions { EmptyCells = CsvEmptyCells.FillWithValues, FillValues = [60, 20], FeatureColumns = ["b", "a"] };

        var data = Read(Gaps, options);

        data.Features.Should().Be(Rows([60, 1], [4, 3], [8, 20]));
        data.FillValues.Should().Equal(60.0, 20.0);
    }

    [Fact]
    public void Means_of_reordered_features_are_returned_in_feature_order()
    {
        var data = Read(Gaps, Mean with { FeatureColumns = ["b", "a"] });

        data.Features.Should().Be(Rows([6, 1], [4, 3], [8, 2]));
        data.FillValues.Should().Equal(6.0, 2.0);
    }

    [Fact]
    public void Fill_values_of_another_count_than_the_features_are_refused_at_the_header()
    {
        Action act = () => Read(Gaps, new CsvOptions { EmptyCells = CsvEmptyCells.FillWithValues, FillValues = [1, 2, 3] });

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 1: expected 2 fill values, one per feature column, but CsvOptions.FillValues has 3.");
    }

    [Fact]
    public void Empty_cells_refused_by_default_return_no_fill_values()
    {
        Read("a,y\n1,0\n2,1\n").FillValues.Should().BeNull();
    }

    [Fact]
    public void An_empty_target_is_refused_whatever_the_policy()
    {
        Action regression = () => Read("a,y\n1,0.5\n2,\n", Mean with { Classification = false });
        Action classes = () => Read("a,y\n1,0\n2, \n", Mean);

        regression.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 3, column 2 ('y'): expected a finite number, but the target cell is empty (targets are never filled).");
        classes.Should().ThrowExactly<DataFormatException>().WithMessage("Line 3, column 2 ('y'): expected a class label, but the cell is empty.");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("?")]
    [InlineData("NA")]
    public void Text_that_is_not_a_number_is_refused_even_when_empty_cells_are_filled(string cell)
    {
        Action act = () => Read($"a,y\n1,0\n{cell},1\n", Mean);

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"Line 3, column 1 ('a'): expected a finite number, but got '{cell}'.");
    }

    [Fact]
    public void In_single_precision_the_mean_is_computed_in_double_and_rounded_once()
    {
        // The float values are summed and divided in double, and the mean rounded to float once.
        var data = Csv.Read<float>(new StringReader("a,y\n0.1,0\n0.2,1\n,0\n"), Mean);

        float expected = (float)(((double)0.1f + 0.2f) / 2);
        data.FillValues.Should().Equal(expected);
        data.Features[2, 0].Should().Be(expected);
    }

    [Fact]
    public void A_fill_value_too_large_for_float_is_refused()
    {
        Action act = () => Csv.Read<float>(new StringReader(Gaps), new CsvOptions { EmptyCells = CsvEmptyCells.FillWithConstant, FillValue = 1e300 });

        act.Should().ThrowExactly<ArgumentException>().WithMessage("CsvOptions.FillValue is 1E+300, which is not finite in Single.*")
            .Which.ParamName.Should().Be("options");
    }
}
