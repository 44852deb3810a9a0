using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// <see cref="StandardScaler{T}"/> and <see cref="MinMaxScaler{T}"/>: statistics fitted on training data only and
/// applied unchanged to other data.
/// </summary>
public class ScalerTests
{
    private const double Tolerance = 1e-12;

    private static Matrix<double> Rows(params double[][] rows) => Matrix<double>.Build.DenseOfRowArrays(rows);

    /// <summary>Columns on very different scales and offsets, so that a per-column mistake shows.</summary>
    private static Matrix<double> Spread(int rows, Random random)
    {
        double[] offsets = [-50, 0, 1e3];
        double[] scales = [0.01, 1, 250];
        return Matrix<double>.Build.Dense(rows, 3, (_, j) => offsets[j] + (scales[j] * ((random.NextDouble() * 2) - 1)));
    }

    private static double PopulationStd(IEnumerable<double> values)
    {
        double[] v = [.. values];
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    [Fact]
    public void StandardScaler_fits_the_mean_and_population_standard_deviation_of_each_column()
    {
        // Column 0: 1, 2, 3 → mean 2, variance (1 + 0 + 1)/3 = 2/3.
        // Column 1: 10, 20, 60 → mean 30, deviations −20, −10, 30 → variance (400 + 100 + 900)/3 = 1400/3.
        var scaler = new StandardScaler<double>().Fit(Rows([1, 10], [2, 20], [3, 60]));

        scaler.Mean.Should().Equal(2.0, 30.0);
        scaler.StandardDeviation![0].Should().BeApproximately(Math.Sqrt(2.0 / 3), Tolerance);
        scaler.StandardDeviation[1].Should().BeApproximately(Math.Sqrt(1400.0 / 3), Tolerance);
    }

    [Fact]
    public void StandardScaler_transform_subtracts_the_mean_and_divides_by_the_deviation()
    {
        var scaler = new StandardScaler<double>().Fit(Rows([1, 10], [2, 20], [3, 60]));

        var result = scaler.Transform(Rows([1, 10], [3, 60]));

        // (1 − 2)/√(2/3), (10 − 30)/√(1400/3); (3 − 2)/√(2/3), (60 − 30)/√(1400/3).
        result[0, 0].Should().BeApproximately(-1 / Math.Sqrt(2.0 / 3), Tolerance);
        result[0, 1].Should().BeApproximately(-20 / Math.Sqrt(1400.0 / 3), Tolerance);
        result[1, 0].Should().BeApproximately(1 / Math.Sqrt(2.0 / 3), Tolerance);
        result[1, 1].Should().BeApproximately(30 / Math.Sqrt(1400.0 / 3), Tolerance);
    }

    [Fact]
    public void StandardScaler_gives_training_data_mean_zero_and_standard_deviation_one()
    {
        var train = Spread(40, new Random(5301));

        var result = new StandardScaler<double>().Fit(train).Transform(train);

        for (int j = 0; j < 3; j++)
        {
            result.Column(j).Enumerate().Average().Should().BeApproximately(0, 1e-10);
            PopulationStd(result.Column(j).Enumerate()).Should().BeApproximately(1, 1e-10);
        }
    }

    [Fact]
    public void StandardScaler_applies_the_training_statistics_to_validation_data()
    {
        // Train 0, 2, 4: mean 2, std √(8/3). Validation 6, 8 → 4/√(8/3) = √6 and 6/√(8/3) = √13.5.
        // Fitted on the validation data itself (mean 7, std 1) they would become −1 and 1.
        var scaler = new StandardScaler<double>().Fit(Rows([0], [2], [4]));
        var validation = Rows([6], [8]);

        var result = scaler.Transform(validation);
        var leaky = new StandardScaler<double>().Fit(validation).Transform(validation);

        result[0, 0].Should().BeApproximately(Math.Sqrt(6), Tolerance);
        result[1, 0].Should().BeApproximately(Math.Sqrt(13.5), Tolerance);
        leaky.Column(0).Enumerate().Should().Equal(-1.0, 1.0);
    }

    [Fact]
    public void StandardScaler_does_not_modify_its_input()
    {
        var train = Rows([1, 10], [2, 20], [3, 60]);
        var copy = train.Clone();

        new StandardScaler<double>().Fit(train).Transform(train);

        train.Should().Be(copy);
    }

    [Fact]
    public void StandardScaler_only_centres_a_constant_column()
    {
        var scaler = new StandardScaler<double>().Fit(Rows([5, 1], [5, 2], [5, 3]));

        var train = scaler.Transform(Rows([5, 1], [5, 2], [5, 3]));
        var other = scaler.Transform(Rows([7, 2]));

        scaler.StandardDeviation![0].Should().Be(1);
        train.Column(0).Enumerate().Should().Equal(0.0, 0.0, 0.0);
        // Mean 5, scale 1: 7 → 2.
        other[0, 0].Should().Be(2);
        train.Enumerate().Concat(other.Enumerate()).Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void StandardScaler_works_in_single_precision()
    {
        var scaler = new StandardScaler<float>().Fit(Matrix<float>.Build.DenseOfRowArrays([1f], [3f]));

        // Mean 2, std 1: 5 → 3.
        scaler.Transform(Matrix<float>.Build.DenseOfRowArrays([5f]))[0, 0].Should().BeApproximately(3f, 1e-6f);
    }

    [Fact]
    public void StandardScaler_transforms_a_dataset_keeping_its_targets_and_labels()
    {
        var data = Dataset.ForClassification(Rows([0], [2], [4]), [1, 0, 1]);

        var scaled = new StandardScaler<double>().Fit(data).Transform(data);

        scaled.Features[2, 0].Should().BeApproximately(2 / Math.Sqrt(8.0 / 3), Tolerance);
        scaled.Labels.Should().Equal(1, 0, 1);
        scaled.Targets.Should().Be(data.Targets);
        data.Features[2, 0].Should().Be(4);
    }

    [Fact]
    public void StandardScaler_transform_before_fit_is_rejected()
    {
        Action act = () => new StandardScaler<double>().Transform(Rows([1]));

        act.Should().ThrowExactly<InvalidOperationException>().WithMessage("StandardScaler must be fitted (Fit) on training data before Transform.");
    }

    [Fact]
    public void StandardScaler_rejects_another_column_count()
    {
        var scaler = new StandardScaler<double>().Fit(Rows([1, 2], [3, 4]));

        Action act = () => scaler.Transform(Rows([1, 2, 3]));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("StandardScaler expects 2 columns in features but got 1×3.*")
            .And.ParamName.Should().Be("features");
    }

    [Fact]
    public void MinMaxScaler_fits_the_minimum_and_range_of_each_column()
    {
        // Column 0: 1, 3, 2 → min 1, max 3, range 2. Column 1: −5, 5, 0 → min −5, range 10.
        var scaler = new MinMaxScaler<double>().Fit(Rows([1, -5], [3, 5], [2, 0]));

        scaler.Minimum.Should().Equal(1.0, -5.0);
        scaler.Range.Should().Equal(2.0, 10.0);
        // (x − min)/range: 1 → 0, 3 → 1, 2 → 0.5; −5 → 0, 5 → 1, 0 → 0.5.
        scaler.Transform(Rows([1, -5], [3, 5], [2, 0])).Should().Be(Rows([0, 0], [1, 1], [0.5, 0.5]));
    }

    [Fact]
    public void MinMaxScaler_maps_training_data_onto_zero_to_one()
    {
        var train = Spread(40, new Random(5302));

        var result = new MinMaxScaler<double>().Fit(train).Transform(train);

        for (int j = 0; j < 3; j++)
        {
            result.Column(j).Minimum().Should().Be(0);
            result.Column(j).Maximum().Should().BeApproximately(1, 1e-12);
        }
    }

    [Fact]
    public void MinMaxScaler_applies_the_training_minimum_and_range_to_validation_data()
    {
        // Train 0, 10: min 0, range 10. Validation 15, −5, 2.5 → 1.5, −0.5, 0.25 (outside [0, 1] is expected).
        // Fitted on the validation data itself (min −5, range 20) they would become 1, 0, 0.375.
        var scaler = new MinMaxScaler<double>().Fit(Rows([0], [10]));
        var validation = Rows([15], [-5], [2.5]);

        var result = scaler.Transform(validation);
        var leaky = new MinMaxScaler<double>().Fit(validation).Transform(validation);

        result.Column(0).Enumerate().Should().Equal(1.5, -0.5, 0.25);
        leaky.Column(0).Enumerate().Should().Equal(1.0, 0.0, 0.375);
    }

    [Fact]
    public void MinMaxScaler_maps_a_constant_column_to_zero()
    {
        var scaler = new MinMaxScaler<double>().Fit(Rows([5, 1], [5, 3]));

        var train = scaler.Transform(Rows([5, 1], [5, 3]));
        var other = scaler.Transform(Rows([7, 2]));

        scaler.Range![0].Should().Be(1);
        train.Column(0).Enumerate().Should().Equal(0.0, 0.0);
        // Min 5, range 1: 7 → 2.
        other[0, 0].Should().Be(2);
        train.Enumerate().Concat(other.Enumerate()).Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void MinMaxScaler_transforms_a_dataset_keeping_its_targets()
    {
        var data = Dataset.ForRegression(Rows([2], [4], [3]), Rows([7], [8], [9]));

        var scaled = new MinMaxScaler<double>().Fit(data).Transform(data);

        scaled.Features.Should().Be(Rows([0], [1], [0.5]));
        scaled.Targets.Should().Be(Rows([7], [8], [9]));
    }

    [Fact]
    public void MinMaxScaler_transform_before_fit_is_rejected()
    {
        Action act = () => new MinMaxScaler<double>().Transform(Rows([1]));

        act.Should().ThrowExactly<InvalidOperationException>().WithMessage("MinMaxScaler must be fitted (Fit) on training data before Transform.");
    }

    [Fact]
    public void MinMaxScaler_rejects_another_column_count()
    {
        var scaler = new MinMaxScaler<double>().Fit(Rows([1, 2, 3]));

        Action act = () => scaler.Transform(Rows([1, 2], [3, 4]));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("MinMaxScaler expects 3 columns in features but got 2×2.*")
            .And.ParamName.Should().Be("features");
    }
}
