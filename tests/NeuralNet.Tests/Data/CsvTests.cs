using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Reading CSV text into datasets: which column is the target, how fields are split and numbers parsed,
/// how classes are numbered, and that every kind of malformed text throws <see cref="DataFormatException"/>
/// pointing at the offending line (and field, when one field is at fault).
/// </summary>
public sealed class CsvTests : IDisposable
{
    private static readonly CsvOptions NoHeader = new() { HasHeader = false };
    private static readonly CsvOptions Regression = new() { Classification = false };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.Csv." + Guid.NewGuid().ToString("N"));

    public CsvTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Dataset<double> Read(string text, CsvOptions? options = null) =>
        Csv.Read<double>(new StringReader(text), options);

    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    [Fact]
    public void A_target_named_in_the_header_is_taken_out_and_the_other_columns_stay_features_in_order()
    {
        // Header cells are trimmed, so " label " is found as "label".
        var data = Read("a, label ,b\n1,0,2\n3,1,4\n5,1,6\n", new CsvOptions { TargetColumn = "label" });

        data.Features.Should().Be(Rows([1, 2], [3, 4], [5, 6]));
        data.Labels.Should().Equal(0, 1, 1);
        data.ClassCount.Should().Be(2);
        // Integer labels are named by their values, so that another file can be read with the same classes.
        data.ClassNames.Should().Equal("0", "1");
        data.Targets.Should().Be(Rows([1, 0], [0, 1], [0, 1]));
    }

    // Rows are 10 20 30 / 40 50 60; index k (or width + k when negative) picks the target column.
    [Theory]
    [InlineData(0, new double[] { 10, 40 }, new double[] { 20, 30, 50, 60 })]
    [InlineData(1, new double[] { 20, 50 }, new double[] { 10, 30, 40, 60 })]
    [InlineData(2, new double[] { 30, 60 }, new double[] { 10, 20, 40, 50 })]
    [InlineData(-1, new double[] { 30, 60 }, new double[] { 10, 20, 40, 50 })]
    [InlineData(-2, new double[] { 20, 50 }, new double[] { 10, 30, 40, 60 })]
    [InlineData(-3, new double[] { 10, 40 }, new double[] { 20, 30, 50, 60 })]
    public void A_target_given_by_index_counts_from_the_end_when_negative(int index, double[] targets, double[] featuresRowMajor)
    {
        var data = Read("10,20,30\n40,50,60\n", new CsvOptions { HasHeader = false, TargetColumnIndex = index, Classification = false });

        data.Targets.Should().Be(Rows([targets[0]], [targets[1]]));
        data.Features.Should().Be(Rows(featuresRowMajor[..2], featuresRowMajor[2..]));
    }

    [Fact]
    public void The_default_target_is_the_last_column()
    {
        var data = Read("x,y,class\n0.5,1.5,1\n2.5,3.5,0\n");

        data.Features.Should().Be(Rows([0.5, 1.5], [2.5, 3.5]));
        data.Labels.Should().Equal(1, 0);
    }

    [Fact]
    public void Without_a_header_the_first_line_is_data()
    {
        const string text = "0.5,1.5,1\n2.5,3.5,0\n4.5,5.5,1\n";

        var withoutHeader = Read(text, NoHeader);
        var withHeader = Read(text);

        withoutHeader.Count.Should().Be(3);
        withoutHeader.Features.Should().Be(Rows([0.5, 1.5], [2.5, 3.5], [4.5, 5.5]));
        withoutHeader.Labels.Should().Equal(1, 0, 1);
        withoutHeader.FeatureNames.Should().BeNull();
        // The same text read with the default (header) options loses its first line to the header.
        withHeader.Count.Should().Be(2);
        withHeader.Features.Should().Be(Rows([2.5, 3.5], [4.5, 5.5]));
        withHeader.FeatureNames.Should().Equal("0.5", "1.5");
    }

    [Fact]
    public void Quoted_fields_may_hold_the_separator_and_doubled_quotes()
    {
        const string text =
            "\"x, first\",\"y \"\"second\"\"\",species\n" +
            "\"1.5\",2,\"iris, setosa\"\n" +
            "3,\"-4e1\",\"say \"\"hi\"\"\"\n";

        var data = Read(text, new CsvOptions { TargetColumn = "species" });

        data.Features.Should().Be(Rows([1.5, 2], [3, -40]));
        // The comma inside the quotes did not split the field, and "" became one quote.
        data.ClassNames.Should().Equal("iris, setosa", "say \"hi\"");
        data.Labels.Should().Equal(0, 1);
    }

    [Fact]
    public void The_separator_can_be_changed()
    {
        var data = Read("a;b;c\n1.5;2;0\n-3;4.25;1\n", new CsvOptions { Separator = ';' });

        data.Features.Should().Be(Rows([1.5, 2], [-3, 4.25]));
        data.Labels.Should().Equal(0, 1);
    }

    [Fact]
    public void Blank_and_whitespace_only_lines_are_skipped_and_CRLF_line_ends_are_accepted()
    {
        var data = Read("a,b\r\n\r\n1,0\r\n   \r\n\t\r\n2,1\r\n\r\n3,0\r\n\r\n\r\n");

        data.Features.Should().Be(Rows([1], [2], [3]));
        data.Labels.Should().Equal(0, 1, 0);
    }

    [Fact]
    public void Skipped_blank_lines_still_count_in_the_reported_line_number()
    {
        // Physical lines: 1 header, 2 blank, 3 data, 4 blank, 5 the bad row.
        Action act = () => Read("a,b\n\n1,0\n  \nx,1\n");

        var error = act.Should().ThrowExactly<DataFormatException>().Which;
        error.Line.Should().Be(5);
        error.Column.Should().Be(1);
    }

    [Fact]
    public void Class_names_are_numbered_in_ordinal_sorted_order()
    {
        var data = Read("f,kind\n1,versicolor\n2,setosa\n3,virginica\n4,setosa\n");

        // setosa < versicolor < virginica.
        data.ClassNames.Should().Equal("setosa", "versicolor", "virginica");
        data.Labels.Should().Equal(1, 0, 2, 0);
        data.ClassCount.Should().Be(3);
        data.Targets.Should().Be(Rows([0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]));
    }

    [Fact]
    public void Class_name_order_is_ordinal_so_upper_case_sorts_before_lower_case()
    {
        // Ordinal code points: 'B' = 66 < 'a' = 97 < 'b' = 98 (a culture-aware sort would put "a" first).
        var data = Read("f,kind\n1,b\n2,a\n3,B\n");

        data.ClassNames.Should().Equal("B", "a", "b");
        data.Labels.Should().Equal(2, 1, 0);
    }

    [Fact]
    public void Integer_labels_that_leave_a_class_out_are_renumbered_in_increasing_order_and_named_by_their_values()
    {
        // Classes 1 and 2 never occur: labels 0 and 3 become classes 0 and 1, never indices with two empty classes.
        var data = Read("f,label\n1,3\n2,0\n3,3\n");

        data.Labels.Should().Equal(1, 0, 1);
        data.ClassCount.Should().Be(2);
        data.ClassNames.Should().Equal("0", "3");
        data.Targets.Should().Be(Rows([0, 1], [1, 0], [0, 1]));
    }

    [Fact]
    public void A_single_integer_class_is_refused_pointing_to_the_class_list()
    {
        Action act = () => Read("f,label\n1,0\n2,0\n");

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 2 ('label'): expected at least 2 classes, but every row has the class '0'. When a file holds only some of the classes, give them all in CsvOptions.Classes.")
            .Which.Column.Should().Be(2);
        Read("f,label\n1,0\n2,0\n", new CsvOptions { Classes = ["0", "1"] }).Targets.Should().Be(Rows([1, 0], [1, 0]));
    }

    [Fact]
    public void Regression_targets_are_read_as_numbers()
    {
        var data = Read("x1,x2,y\n1,2,0.25\n3,4,-1e-3\n", Regression);

        data.IsClassification.Should().BeFalse();
        data.Labels.Should().BeNull();
        data.ClassCount.Should().Be(0);
        data.Features.Should().Be(Rows([1, 2], [3, 4]));
        data.Targets.Should().Be(Rows([0.25], [-0.001]));
    }

    [Fact]
    public void Single_precision_reads_the_nearest_float()
    {
        var data = Csv.Read<float>(new StringReader("a,b\n0.1,1\n0.2,0\n"));

        data.Features[0, 0].Should().Be(0.1f);
    }

    // The build runs with InvariantGlobalization, where named cultures such as de-DE cannot be created; a clone of
    // the invariant culture with de-DE's separators (',' decimal, '.' grouping) changes number parsing the same way.
    private static CultureInfo CommaDecimalCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    [Fact]
    public void Numbers_are_read_with_a_decimal_point_whatever_the_thread_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo comma = CommaDecimalCulture();
        try
        {
            CultureInfo.CurrentCulture = comma;
            // Guards the test itself: under this culture a culture-sensitive parse would not read "1.5" as 1.5.
            double.TryParse("1.5", NumberStyles.Float, CultureInfo.CurrentCulture, out double local).Should().BeFalse();
            local.Should().NotBe(1.5);

            var data = Read("a;b;y\n1.5;-2.25;0.5\n", new CsvOptions { Separator = ';', Classification = false });

            data.Features.Should().Be(Rows([1.5, -2.25]));
            data.Targets.Should().Be(Rows([0.5]));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_decimal_comma_is_not_a_number_even_under_a_culture_that_writes_one()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CommaDecimalCulture();

            Action act = () => Read("a,b\n\"1,5\",0\n");

            act.Should().ThrowExactly<DataFormatException>().WithMessage("*Line 2, column 1*'1,5'*");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Load_reads_a_file()
    {
        string path = Path.Combine(_directory, "data.csv");
        File.WriteAllText(path, "x,y,label\n1,2,cat\n3,4,dog\n5,6,cat\n");

        var data = Csv.Load<double>(path);

        data.Features.Should().Be(Rows([1, 2], [3, 4], [5, 6]));
        data.ClassNames.Should().Equal("cat", "dog");
        data.Labels.Should().Equal(0, 1, 0);
    }

    [Fact]
    public void Load_of_a_missing_file_throws_FileNotFoundException()
    {
        Action act = () => Csv.Load<double>(Path.Combine(_directory, "absent.csv"));

        act.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void A_non_numeric_cell_names_its_line_column_and_header()
    {
        Action act = () => Read("a,b,c\n1,2,0\n3,abc,1\n");

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 3, column 2 ('b'): expected a finite number, but got 'abc'.").Which;
        error.Line.Should().Be(3);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void A_non_numeric_cell_without_a_header_names_its_line_and_column()
    {
        Action act = () => Read("1,2,0\n3,4,1\n5,6,1\n7,,0\n", NoHeader);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 4, column 2: expected a finite number, but the cell is empty; CsvOptions.EmptyCells can fill empty feature cells with the column's mean or a constant.").Which;
        error.Line.Should().Be(4);
        error.Column.Should().Be(2);
    }

    // Text that the number parser accepts but that is not finite must still be rejected.
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public void Non_finite_number_text_in_a_feature_is_rejected(string cell)
    {
        Action act = () => Read($"a,b,c\n1,2,0\n3,{cell},1\n");

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line 3, column 2 ('b'): expected a finite number, but got '{cell}'.").Which;
        error.Line.Should().Be(3);
        error.Column.Should().Be(2);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("oops")]
    public void A_bad_regression_target_names_the_target_column(string cell)
    {
        Action act = () => Read($"x,y,z\n1,2,3\n4,{cell},6\n", new CsvOptions { TargetColumn = "y", Classification = false });

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line 3, column 2 ('y'): expected a finite number, but got '{cell}'.").Which;
        error.Line.Should().Be(3);
        error.Column.Should().Be(2);
    }

    // A ragged row is a fault of the whole line, so Column stays null (as DataFormatException documents).
    [Theory]
    [InlineData("1,2,3,0", 4)]
    [InlineData("1,0", 2)]
    public void A_ragged_row_names_its_line_and_both_field_counts(string row, int fields)
    {
        Action act = () => Read($"a,b,c\n1,2,0\n{row}\n");

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line 3: expected 3 fields like the first line, but got {fields}.").Which;
        error.Line.Should().Be(3);
        error.Column.Should().BeNull();
    }

    [Fact]
    public void An_unknown_target_column_name_lists_the_header()
    {
        Action act = () => Read("a,b,class\n1,2,0\n", new CsvOptions { TargetColumn = "label" });

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 1: expected a column named 'label', but the header has 'a', 'b', 'class'.").Which;
        error.Line.Should().Be(1);
        error.Column.Should().BeNull();
    }

    [Fact]
    public void A_target_column_name_without_a_header_is_rejected()
    {
        Action act = () => Read("1,2,0\n", new CsvOptions { HasHeader = false, TargetColumn = "b" });

        act.Should().ThrowExactly<DataFormatException>().WithMessage("*named 'b'*without a header*TargetColumnIndex*")
            .Which.Line.Should().Be(1);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void A_target_column_index_outside_the_row_is_rejected(int index)
    {
        Action act = () => Read("a,b,c\n1,2,0\n", new CsvOptions { TargetColumnIndex = index });

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line 1: expected the target column index {index} within 3 columns.")
            .Which.Line.Should().Be(1);
    }

    [Theory]
    [InlineData("a,b\n1,0\n\"2,1\n", 3, 1)]
    [InlineData("a,b\n1,0\n2,\"1\n", 3, 2)]
    [InlineData("\"a,b\n1,0\n", 1, 1)]
    public void An_unclosed_quote_names_the_line_and_the_field_it_opens(string text, int line, int column)
    {
        Action act = () => Read(text);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line {line}, column {column}: a quoted field is not closed before the end of the line.").Which;
        error.Line.Should().Be(line);
        error.Column.Should().Be(column);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\n")]
    public void Text_without_any_line_is_rejected(string text)
    {
        Action act = () => Read(text);

        // Line is set, but there is no line to point at (see the report: it is the count of lines read, here 0 or 3).
        act.Should().ThrowExactly<DataFormatException>().WithMessage("Expected at least one data row, but the text has none*")
            .Which.Line.Should().NotBeNull();
    }

    [Theory]
    [InlineData("a,b,c\n", 1)]
    [InlineData("a,b,c\n\n", 2)]
    public void A_header_without_data_rows_is_rejected(string text, int lines)
    {
        Action act = () => Read(text);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Expected at least one data row, but the text has none after {lines} line(s).").Which;
        error.Line.Should().Be(lines);
        error.Column.Should().BeNull();
    }

    [Fact]
    public void A_single_column_leaves_no_room_for_features_and_a_target()
    {
        Action act = () => Read("a\n1\n");

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 1: expected at least 2 columns (features and a target), but got 1.")
            .Which.Line.Should().Be(1);
    }

    [Fact]
    public void Read_rejects_a_null_reader()
    {
        Action act = () => Csv.Read<double>(null!);

        act.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("reader");
    }

    [Fact]
    public void An_empty_class_label_is_rejected_with_its_line_and_column()
    {
        Action act = () => Read("x,y\n1,1\n2,\n3,0\n");

        act.Should().ThrowExactly<DataFormatException>().WithMessage("Line 3, column 2*empty*")
            .Which.Line.Should().Be(3);
    }

    [Fact]
    public void A_huge_integer_label_is_a_class_name_not_an_index()
    {
        var data = Read("x,y\n1,0\n2,2147483647\n");

        data.ClassCount.Should().Be(2);
        data.ClassNames.Should().Equal("0", "2147483647");
        data.Labels.Should().Equal(0, 1);
    }

    [Fact]
    public void A_huge_integer_label_taken_as_an_index_is_rejected_instead_of_allocating_that_many_classes()
    {
        Action act = () => Read("x,y\n1,0\n2,2147483647\n", new CsvOptions { StrictClassIndices = true });

        act.Should().ThrowExactly<DataFormatException>().WithMessage("Line 3, column 2 ('y'): expected a class label in [0, 65535] (StrictClassIndices), but got 2147483647; for a numeric target set Classification = false.")
            .Which.Column.Should().Be(2);
    }
}
