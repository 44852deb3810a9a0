using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Choosing columns when reading CSV (<see cref="CsvOptions.IgnoreColumns"/>, <see cref="CsvOptions.FeatureColumns"/>,
/// <see cref="CsvOptions.TargetColumns"/>): by name or index, features in the order asked, their header names kept,
/// and every column that is missing or given two roles named in a <see cref="DataFormatException"/>.
/// </summary>
public class CsvColumnSelectionTests
{
    private const string Customers =
        "customer_id,age,income,segment,churn\n" +
        "C001,34,52000,retail,0\n" +
        "C002,45,61000,\"b2b, large\",1\n" +
        "C003,29,38000,retail,0\n";

    private static Dataset<double> Read(string text, CsvOptions? options = null) => Csv.Read<double>(new StringReader(text), options);

    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    [Fact]
    public void An_id_column_fails_as_a_number_until_it_is_ignored()
    {
        Action act = () => Read(Customers, new CsvOptions { IgnoreColumns = ["segment"] });

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 2, column 1 ('customer_id'): expected a finite number, but got 'C001'.");
    }

    [Fact]
    public void Ignored_columns_are_skipped_and_the_header_names_the_features()
    {
        var data = Read(Customers, new CsvOptions { IgnoreColumns = ["customer_id", "segment"] });

        data.Features.Should().Be(Rows([34, 52000], [45, 61000], [29, 38000]));
        data.FeatureNames.Should().Equal("age", "income");
        data.Labels.Should().Equal(0, 1, 0);
    }

    [Fact]
    public void Columns_may_be_ignored_by_index_counting_from_the_end_when_negative()
    {
        var byIndex = Read(Customers, new CsvOptions { IgnoreColumns = [0, -2] });
        var byName = Read(Customers, new CsvOptions { IgnoreColumns = ["customer_id", "segment"] });

        byIndex.Features.Should().Be(byName.Features);
        byIndex.FeatureNames.Should().Equal(byName.FeatureNames);
    }

    [Fact]
    public void Feature_columns_are_read_in_the_order_asked_and_the_rest_are_skipped()
    {
        var data = Read(Customers, new CsvOptions { FeatureColumns = ["income", 1] });

        // Column 1 is "age": names and indices mix. Neither the id nor the text column is parsed.
        data.Features.Should().Be(Rows([52000, 34], [61000, 45], [38000, 29]));
        data.FeatureNames.Should().Equal("income", "age");
        data.FeatureCount.Should().Be(2);
    }

    [Fact]
    public void Several_target_columns_make_a_regression_target_matrix_in_the_order_asked()
    {
        const string text = "x,y1,z,y2\n1,10,2,100\n3,30,4,300\n";

        var data = Read(text, new CsvOptions { Classification = false, TargetColumns = ["y2", "y1"] });

        data.Targets.Should().Be(Rows([100, 10], [300, 30]));
        data.Features.Should().Be(Rows([1, 2], [3, 4]));
        data.FeatureNames.Should().Equal("x", "z");
    }

    [Fact]
    public void A_single_target_column_in_the_list_may_be_a_class_column_named_anywhere()
    {
        var data = Read("label,a,b\ncat,1,2\ndog,3,4\n", new CsvOptions { TargetColumns = ["label"] });

        data.ClassNames.Should().Equal("cat", "dog");
        data.Features.Should().Be(Rows([1, 2], [3, 4]));
    }

    [Fact]
    public void Header_names_are_trimmed_and_unquoted()
    {
        var data = Read(" a ,\"b \"\"quoted\"\"\",\"c, d\",y\n1,2,3,0\n4,5,6,1\n");

        data.FeatureNames.Should().Equal("a", "b \"quoted\"", "c, d");
    }

    [Fact]
    public void Feature_names_follow_the_samples_into_subsets_splits_and_same_width_features()
    {
        var data = Read("a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n");

        data.Subset([2, 0]).FeatureNames.Should().Equal("a", "b");
        data.Shuffle(3).FeatureNames.Should().Equal("a", "b");
        data.Split(0.5, seed: 1).Train.FeatureNames.Should().Equal("a", "b");
        new StandardScaler<double>().Fit(data).Transform(data).FeatureNames.Should().Equal("a", "b");
        data.WithFeatures(Matrix<double>.Build.Dense(4, 3)).FeatureNames.Should().BeNull("the columns are no longer the named ones");
    }

    [Fact]
    public void An_ignored_column_is_not_parsed_but_must_still_be_well_formed()
    {
        var data = Read("id,x,y\n,1,0\nn/a,2,1\n", new CsvOptions { IgnoreColumns = ["id"] });
        Action malformed = () => Read("id,x,y\na\"b,1,0\n", new CsvOptions { IgnoreColumns = ["id"] });

        data.Features.Should().Be(Rows([1], [2]));
        malformed.Should().ThrowExactly<DataFormatException>().WithMessage("Line 2, column 1: a quote inside an unquoted field*")
            .Which.Column.Should().Be(1);
    }

    [Fact]
    public void A_ragged_row_is_refused_whatever_columns_are_read()
    {
        Action act = () => Read("id,x,y\nA,1,0\nB,2\n", new CsvOptions { IgnoreColumns = ["id"] });

        act.Should().ThrowExactly<DataFormatException>().WithMessage("Line 3: expected 3 fields like the first line, but got 2.");
    }

    [Theory]
    [InlineData("IgnoreColumns")]
    [InlineData("FeatureColumns")]
    [InlineData("TargetColumns")]
    public void An_unknown_column_name_names_the_option_and_lists_the_header(string option)
    {
        IReadOnlyList<CsvColumn> columns = ["nope"];
        CsvOptions options = option switch
        {
            "IgnoreColumns" => new CsvOptions { IgnoreColumns = columns },
            "FeatureColumns" => new CsvOptions { FeatureColumns = columns },
            _ => new CsvOptions { TargetColumns = columns },
        };

        Action act = () => Read("a,b,y\n1,2,0\n", options);

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage($"Line 1: expected a column named 'nope' ({option}), but the header has 'a', 'b', 'y'.").Which;
        error.Line.Should().Be(1);
        error.Column.Should().BeNull();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void A_column_index_outside_the_line_is_refused(int index)
    {
        Action act = () => Read("a,b,y\n1,2,0\n", new CsvOptions { IgnoreColumns = [index] });

        act.Should().ThrowExactly<DataFormatException>().WithMessage($"Line 1: expected the column index {index} (IgnoreColumns) within 3 columns.");
    }

    [Fact]
    public void A_column_name_needs_a_header()
    {
        Action act = () => Read("1,2,0\n3,4,1\n", new CsvOptions { HasHeader = false, FeatureColumns = ["a"] });

        act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("The column 'a' (FeatureColumns) is named, but the file is read without a header; give its index instead.");
    }

    [Theory]
    [InlineData("twice", "Line 1: column 1 ('a') is given twice in IgnoreColumns.")]
    [InlineData("feature twice", "Line 1: column 2 ('b') is given twice in FeatureColumns.")]
    [InlineData("target twice", "Line 1: column 3 ('y') is given twice in TargetColumns.")]
    [InlineData("ignored target", "Line 1: column 3 ('y') is both a target and ignored (IgnoreColumns).")]
    [InlineData("feature target", "Line 1: column 3 ('y') is both a feature (FeatureColumns) and a target.")]
    [InlineData("feature ignored", "Line 1: column 1 ('a') is both a feature (FeatureColumns) and ignored (IgnoreColumns).")]
    public void A_column_given_two_roles_is_refused_naming_it(string mistake, string message)
    {
        CsvOptions options = mistake switch
        {
            "twice" => new CsvOptions { IgnoreColumns = ["a", 0] },
            "feature twice" => new CsvOptions { FeatureColumns = ["b", -2] },
            "target twice" => new CsvOptions { Classification = false, TargetColumns = ["y", -1] },
            "ignored target" => new CsvOptions { IgnoreColumns = ["y"] },
            "feature target" => new CsvOptions { FeatureColumns = ["a", "y"] },
            _ => new CsvOptions { IgnoreColumns = ["a"], FeatureColumns = ["a"] },
        };

        Action act = () => Read("a,b,y\n1,2,0\n3,4,1\n", options);

        act.Should().ThrowExactly<DataFormatException>().WithMessage(message).Which.Line.Should().Be(1);
    }

    [Fact]
    public void Ignoring_every_column_but_the_target_leaves_no_features_and_is_refused()
    {
        Action ignored = () => Read("a,b,y\n1,2,0\n", new CsvOptions { IgnoreColumns = ["a", "b"] });
        Action none = () => Read("a,b,y\n1,2,0\n", new CsvOptions { FeatureColumns = [] });

        ignored.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 1: expected at least one feature column, but every one of the 3 columns is a target or ignored.");
        none.Should().ThrowExactly<DataFormatException>().WithMessage("Line 1: expected at least one feature column*");
    }
}
