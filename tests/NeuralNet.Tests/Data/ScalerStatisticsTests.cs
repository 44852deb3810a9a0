using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Scalers made from their statistics, undone by <c>InverseTransform</c>, and saved to and loaded from the JSON scaler
/// file: exact round trips, and every malformed file refused with a message naming what is wrong.
/// </summary>
public class ScalerStatisticsTests
{
    /// <summary>Columns on very different scales and offsets, so that a per-column mistake shows.</summary>
    private static Matrix<T> Spread<T>(int rows, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        double[] offsets = [-50, 0, 1e3];
        double[] scales = [0.01, 1, 250];
        return Matrix<T>.Build.Dense(rows, 3, (_, j) => T.CreateChecked(offsets[j] + (scales[j] * ((random.NextDouble() * 2) - 1))));
    }

    private static StandardScaler<T> ReloadStandard<T>(StandardScaler<T> scaler)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        scaler.Save(stream);
        stream.Position = 0;
        return StandardScaler.Load<T>(stream);
    }

    private static StandardScaler<double> LoadStandard(string json) => StandardScaler.Load<double>(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_standard_scaler_made_from_fitted_statistics_transforms_bit_identically()
    {
        Matrix<float> train = Spread<float>(30, 11);
        Matrix<float> other = Spread<float>(7, 12);
        var fitted = new StandardScaler<float>().Fit(train);

        var made = new StandardScaler<float>(fitted.Mean!, fitted.StandardDeviation!);

        made.Transform(other).ToColumnMajorArray().Should().Equal(fitted.Transform(other).ToColumnMajorArray());
    }

    [Fact]
    public void A_min_max_scaler_made_from_fitted_statistics_transforms_bit_identically()
    {
        Matrix<double> train = Spread<double>(30, 13);
        Matrix<double> other = Spread<double>(7, 14);
        var fitted = new MinMaxScaler<double>().Fit(train);

        var made = new MinMaxScaler<double>(fitted.Minimum!, fitted.Range!);

        made.Transform(other).ToColumnMajorArray().Should().Equal(fitted.Transform(other).ToColumnMajorArray());
    }

    [Fact]
    public void A_zero_standard_deviation_or_range_is_kept_as_one_so_the_feature_is_only_shifted()
    {
        var standard = new StandardScaler<double>([1.0, 2.0], [0.0, 4.0]);
        var minMax = new MinMaxScaler<double>([1.0], [0.0]);
        Matrix<double> x = Matrix<double>.Build.DenseOfRowArrays([5.0, 10.0]);

        standard.StandardDeviation.Should().Equal(1.0, 4.0);
        standard.Transform(x).Row(0).ToArray().Should().Equal(4.0, 2.0);
        minMax.Range.Should().Equal(1.0);
        minMax.Transform(Matrix<double>.Build.DenseOfRowArrays([3.0])).At(0, 0).Should().Be(2.0);
    }

    [Fact]
    public void InverseTransform_multiplies_by_the_scale_and_adds_the_offset()
    {
        // Worked by hand: 2·3 + 10 = 16, −1·0.5 − 4 = −4.5; min-max: 0.25·8 + 1 = 3.
        var standard = new StandardScaler<double>([10.0, -4.0], [3.0, 0.5]);
        var minMax = new MinMaxScaler<double>([1.0], [8.0]);

        standard.InverseTransform(Matrix<double>.Build.DenseOfRowArrays([2.0, -1.0])).Row(0).ToArray().Should().Equal(16.0, -4.5);
        minMax.InverseTransform(Matrix<double>.Build.DenseOfRowArrays([0.25])).At(0, 0).Should().Be(3.0);
    }

    [Fact]
    public void InverseTransform_undoes_Transform_for_both_scalers()
    {
        Matrix<double> train = Spread<double>(40, 15);
        var standard = new StandardScaler<double>().Fit(train);
        var minMax = new MinMaxScaler<double>().Fit(train);

        Matrix<double> standardBack = standard.InverseTransform(standard.Transform(train));
        Matrix<double> minMaxBack = minMax.InverseTransform(minMax.Transform(train));

        (standardBack - train).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-9);
        (minMaxBack - train).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-9);
    }

    [Fact]
    public void Both_scalers_save_and_load_their_statistics_bit_for_bit_in_both_precisions()
    {
        var standardFloat = new StandardScaler<float>().Fit(Spread<float>(25, 16));
        var standardDouble = new StandardScaler<double>().Fit(Spread<double>(25, 17));
        var minMaxFloat = new MinMaxScaler<float>().Fit(Spread<float>(25, 18));
        string path = Path.Combine(Path.GetTempPath(), $"scaler-{Guid.NewGuid():N}.json");
        try
        {
            minMaxFloat.Save(path);
            MinMaxScaler<float> minMaxBack = MinMaxScaler.Load<float>(path);

            ReloadStandard(standardFloat).Mean.Should().Equal(standardFloat.Mean);
            ReloadStandard(standardFloat).StandardDeviation.Should().Equal(standardFloat.StandardDeviation);
            ReloadStandard(standardDouble).Mean.Should().Equal(standardDouble.Mean);
            ReloadStandard(standardDouble).StandardDeviation.Should().Equal(standardDouble.StandardDeviation);
            minMaxBack.Minimum.Should().Equal(minMaxFloat.Minimum);
            minMaxBack.Range.Should().Equal(minMaxFloat.Range);
            File.ReadAllText(path).Should().Contain("\"format\": \"neuralnet-scaler\"").And.Contain("\"type\": \"min_max\"");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_written_by_hand_in_the_documented_format_loads()
    {
        StandardScaler<double> scaler = LoadStandard("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [2, 30], "standard_deviation": [0.5, 0] }""");

        scaler.Mean.Should().Equal(2.0, 30.0);
        scaler.StandardDeviation.Should().Equal(0.5, 1.0);
    }

    [Theory]
    [InlineData("not json", "*not valid JSON*")]
    [InlineData("[1, 2]", "*expected a JSON object*Array*")]
    [InlineData("""{ "format": "other", "version": 1, "type": "standard", "mean": [1], "standard_deviation": [1] }""", "*\"format\": \"neuralnet-scaler\"*found \"other\"*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 2, "type": "standard", "mean": [1], "standard_deviation": [1] }""", "*\"version\": 1*found 2*newer NeuralNet*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "min_max", "minimum": [1], "range": [1] }""", "*type \"standard\"*holds \"min_max\"*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "standard_deviation": [1] }""", "*\"mean\" as a list of numbers*none*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [1, "x"], "standard_deviation": [1, 1] }""", "*\"mean\"[1] to be a finite number*\"x\"*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [1e999], "standard_deviation": [1] }""", "*\"mean\"[0] to be a finite number*1e999*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [1, 2], "standard_deviation": [1] }""", "*one standard deviation per mean*2 mean values and 1 standard deviation values*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [1], "standard_deviation": [-2] }""", "*at least 0*feature 0's is -2*")]
    [InlineData("""{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [], "standard_deviation": [] }""", "*at least one mean*none*")]
    public void A_malformed_scaler_file_is_refused_saying_what_was_expected(string json, string message)
    {
        Action act = () => LoadStandard(json);

        act.Should().Throw<DataFormatException>().WithMessage(message);
    }

    [Fact]
    public void A_value_beyond_the_float_range_is_refused_when_loaded_as_float_but_loads_as_double()
    {
        const string json = """{ "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [1e300], "standard_deviation": [1] }""";

        Action asFloat = () => StandardScaler.Load<float>(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        asFloat.Should().Throw<DataFormatException>().WithMessage("*\"mean\"[0] is 1E+300, beyond the range of Single*load the scaler as double*");
        LoadStandard(json).Mean.Should().Equal(1e300);
    }

    [Fact]
    public void Statistics_given_from_outside_are_checked_naming_the_feature_and_the_counts()
    {
        Action fewer = () => _ = new StandardScaler<double>([1.0, 2.0], [1.0]);
        Action none = () => _ = new MinMaxScaler<double>([], []);
        Action nan = () => _ = new StandardScaler<double>([1.0, double.NaN], [1.0, 1.0]);
        Action negative = () => _ = new MinMaxScaler<float>([0f, 0f], [1f, -3f]);
        Action infinite = () => _ = new StandardScaler<float>([0f], [float.PositiveInfinity]);

        fewer.Should().Throw<ArgumentException>().WithMessage("StandardScaler expects one standard deviation per mean, but got 2 mean values and 1 standard deviation values*").And.ParamName.Should().Be("standardDeviation");
        none.Should().Throw<ArgumentException>().WithMessage("MinMaxScaler expects at least one minimum*got none*").And.ParamName.Should().Be("minimum");
        nan.Should().Throw<ArgumentException>().WithMessage("*finite mean values*feature 1's is NaN*").And.ParamName.Should().Be("mean");
        negative.Should().Throw<ArgumentException>().WithMessage("*range values of at least 0*feature 1's is -3*").And.ParamName.Should().Be("range");
        infinite.Should().Throw<ArgumentException>().WithMessage("*feature 0's is Infinity*").And.ParamName.Should().Be("standardDeviation");
    }

    [Fact]
    public void Unfitted_scalers_refuse_InverseTransform_and_Save_and_a_wrong_width_is_refused()
    {
        var fitted = new StandardScaler<double>([0.0, 0.0], [1.0, 1.0]);

        Action inverse = () => new StandardScaler<double>().InverseTransform(Matrix<double>.Build.Dense(1, 2));
        Action save = () => new MinMaxScaler<double>().Save(new MemoryStream());
        Action width = () => fitted.InverseTransform(Matrix<double>.Build.Dense(2, 3));

        inverse.Should().Throw<InvalidOperationException>().WithMessage("StandardScaler must be fitted*or made from its statistics, before InverseTransform*");
        save.Should().Throw<InvalidOperationException>().WithMessage("MinMaxScaler must be fitted*before Save*");
        width.Should().Throw<ArgumentException>().WithMessage("*StandardScaler*2*3*");
    }

    [Fact]
    public void Loading_refuses_null_and_blank_arguments_and_a_missing_file()
    {
        Action nullStream = () => StandardScaler.Load<double>((Stream)null!);
        Action blank = () => MinMaxScaler.Load<double>(" ");
        Action missing = () => StandardScaler.Load<double>(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json"));
        Action half = () => StandardScaler.Load<Half>(new MemoryStream());

        nullStream.Should().Throw<ArgumentNullException>().And.ParamName.Should().Be("stream");
        blank.Should().Throw<ArgumentException>().And.ParamName.Should().Be("path");
        missing.Should().Throw<FileNotFoundException>();
        half.Should().Throw<NotSupportedException>();
    }
}
