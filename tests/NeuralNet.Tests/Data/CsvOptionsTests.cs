using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Options that contradict each other are refused with <see cref="ArgumentException"/> (parameter "options") before
/// any text is read, naming the options and why; <see cref="CsvColumn"/> refuses an empty name.
/// </summary>
public class CsvOptionsTests
{
    /// <summary>Text that would fail if it were read: the options must be refused first.</summary>
    private static readonly string Unreadable = "\"";

    public static TheoryData<CsvOptions, string> Contradictions() => new()
    {
        { new CsvOptions { TargetColumns = [] }, "CsvOptions.TargetColumns must name at least one column, but is empty.*" },
        { new CsvOptions { TargetColumns = ["y"], TargetColumn = "z" }, "CsvOptions.TargetColumns replaces TargetColumn and TargetColumnIndex, but TargetColumn is 'z' too; set one of them.*" },
        { new CsvOptions { TargetColumns = ["y"], TargetColumnIndex = 0 }, "*but TargetColumnIndex is 0 too*" },
        { new CsvOptions { TargetColumns = ["y", "z"] }, "A classification reads one class column, but CsvOptions.TargetColumns names 2 ('y', 'z'); set Classification = false for several numeric targets.*" },
        { new CsvOptions { Classes = ["a", "b"], Classification = false }, "CsvOptions.Classes is set, but Classification is false.*" },
        { new CsvOptions { Classes = ["a", "b"], StrictClassIndices = true }, "CsvOptions.Classes gives the classes and their order, so StrictClassIndices cannot be set too.*" },
        { new CsvOptions { Classes = ["a"] }, "CsvOptions.Classes must name at least 2 classes, but names 1.*" },
        { new CsvOptions { Classes = ["a", "b", "a"] }, "CsvOptions.Classes names the class 'a' twice, at 0 and 2.*" },
        { new CsvOptions { Classes = ["7", "07"] }, "CsvOptions.Classes names the class '07' twice, at 0 and 1.*" },
        { new CsvOptions { Classes = ["a", " b"] }, "CsvOptions.Classes[1] must be a label as a cell holds it, not empty and without surrounding whitespace, but is ' b'.*" },
        { new CsvOptions { Classes = ["a", ""] }, "CsvOptions.Classes[1] must be*but is ''.*" },
        { new CsvOptions { Classes = ["a", null!] }, "CsvOptions.Classes[1] must be*but is null.*" },
        { new CsvOptions { EmptyCells = (CsvEmptyCells)9 }, "CsvOptions.EmptyCells must be a CsvEmptyCells value, but is 9.*" },
        { new CsvOptions { EmptyCells = CsvEmptyCells.FillWithConstant, FillValue = double.NaN }, "CsvOptions.FillValue must be finite, but is NaN.*" },
        { new CsvOptions { EmptyCells = CsvEmptyCells.FillWithValues }, "CsvOptions.EmptyCells is FillWithValues, but FillValues is null; give one value per feature column.*" },
        { new CsvOptions { FillValues = [1] }, "CsvOptions.FillValues is set, but EmptyCells is Refuse; set EmptyCells = CsvEmptyCells.FillWithValues to fill with them.*" },
        { new CsvOptions { EmptyCells = CsvEmptyCells.FillWithValues, FillValues = [1, double.PositiveInfinity] }, "CsvOptions.FillValues[1] must be finite, but is Infinity.*" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void Contradicting_options_are_refused_before_the_text_is_read(CsvOptions options, string message)
    {
        Action read = () => Csv.Read<double>(new StringReader(Unreadable), options);
        Action load = () => Csv.Load<double>("/nonexistent/file.csv", options);
        Action batches = () => Csv.ReadBatches<double>("/nonexistent/file.csv", 4, options);

        read.Should().ThrowExactly<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be("options");
        load.Should().ThrowExactly<ArgumentException>().WithMessage(message);
        batches.Should().ThrowExactly<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void A_column_name_may_not_be_null_or_empty()
    {
        Action empty = () => CsvColumn.Named(string.Empty);
        Action none = () => _ = (CsvColumn)(string)null!;

        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
        none.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("name");
    }

    [Fact]
    public void A_column_converts_from_a_name_or_an_index_and_says_which()
    {
        CsvColumn byName = "age";
        CsvColumn byIndex = -1;

        byName.Should().Be(CsvColumn.Named("age"));
        byName.ToString().Should().Be("'age'");
        byIndex.Should().Be(CsvColumn.At(-1));
        byIndex.Name.Should().BeNull();
        byIndex.ToString().Should().Be("index -1");
    }
}
