using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The generic constraint admits element types MathNet cannot hold (<see cref="Half"/>); every public generic entry
/// point of the data API refuses them with <see cref="NotSupportedException"/> naming float and double, before it
/// reads or checks anything else (a <see cref="TypeInitializationException"/> from deep inside MathNet, or an
/// argument error about inputs that could never work, would hide the real problem).
/// </summary>
public sealed class UnsupportedPrecisionTests
{
    private const string Message = "*float or double, but Half*";

    // A directory that is never created: a loader that looked at the disk first would throw FileNotFoundException.
    private readonly string _missing = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.Precision." + Guid.NewGuid().ToString("N"));

    private static void ShouldRefuseHalf(Action act) =>
        act.Should().ThrowExactly<NotSupportedException>().WithMessage(Message);

    [Fact]
    public void Csv_Read_refuses_Half_before_reading_the_text()
    {
        var reader = new StringReader("x,y\n1,0\n2,1\n");

        ShouldRefuseHalf(() => Csv.Read<Half>(reader));
        reader.Peek().Should().Be('x', "nothing may be read before the element type is refused");
    }

    [Fact]
    public void Csv_Load_refuses_Half_before_opening_the_file() =>
        ShouldRefuseHalf(() => Csv.Load<Half>(Path.Combine(_missing, "absent.csv")));

    [Fact]
    public void Mnist_Load_from_a_directory_refuses_Half_before_looking_for_files() =>
        ShouldRefuseHalf(() => Mnist.Load<Half>(_missing, train: true));

    [Fact]
    public void Mnist_Load_of_two_files_refuses_Half_before_opening_them() =>
        ShouldRefuseHalf(() => Mnist.Load<Half>(Path.Combine(_missing, "images"), Path.Combine(_missing, "labels")));

    [Fact]
    public void Dataset_ForClassification_from_rows_refuses_Half() =>
        ShouldRefuseHalf(() => Dataset.ForClassification<Half>([[Half.One], [Half.Zero]], [0, 1]));

    [Fact]
    public void Dataset_ForClassification_from_a_matrix_refuses_Half_before_checking_the_arguments() =>
        ShouldRefuseHalf(() => Dataset.ForClassification((Matrix<Half>)null!, [0, 1]));

    [Fact]
    public void Dataset_ForRegression_from_rows_refuses_Half() =>
        ShouldRefuseHalf(() => Dataset.ForRegression<Half>([[Half.One]], [[Half.Zero]]));

    [Fact]
    public void Dataset_ForRegression_from_matrices_refuses_Half_before_checking_the_arguments() =>
        ShouldRefuseHalf(() => Dataset.ForRegression((Matrix<Half>)null!, null!));

    [Fact]
    public void OneHot_Encode_refuses_Half_before_checking_the_labels() =>
        ShouldRefuseHalf(() => OneHot.Encode<Half>([], 2));

    [Fact]
    public void OneHot_Decode_refuses_Half_before_checking_the_argument() =>
        ShouldRefuseHalf(() => OneHot.Decode((Matrix<Half>)null!));

    [Fact]
    public void StandardScaler_refuses_Half_when_created() =>
        ShouldRefuseHalf(() => _ = new StandardScaler<Half>());

    [Fact]
    public void MinMaxScaler_refuses_Half_when_created() =>
        ShouldRefuseHalf(() => _ = new MinMaxScaler<Half>());

    [Fact]
    public void Float_and_double_stay_accepted_by_every_entry_point()
    {
        var floats = Csv.Read<float>(new StringReader("x,y\n1,0\n2,1\n"));
        var doubles = Dataset.ForRegression<double>([[1.0], [2.0]], [[0.5], [1.5]]);

        floats.Count.Should().Be(2);
        new StandardScaler<float>().Fit(floats).Mean.Should().Equal(1.5f);
        new MinMaxScaler<double>().Fit(doubles).Range.Should().Equal(1.0);
        OneHot.Decode(OneHot.Encode<float>([1, 0], 2)).Should().Equal(1, 0);
    }
}
