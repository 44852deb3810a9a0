using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// What training reports: per-epoch validation metrics (checked against the network's own evaluation and a
/// hand computation after the run), the validation hold-out, the learning rate of each epoch, the CSV export
/// and the progress callback.
/// </summary>
public class ValidationAndHistoryTests
{
    private const string Header = "epoch,loss,validation_loss,validation_accuracy,validation_r2,learning_rate,updates,elapsed_ms";

    /// <summary>Gaussian blobs around the corners of a triangle; <paramref name="sizes"/> samples of each class.</summary>
    private static Dataset<double> Blobs(int seed, params int[] sizes)
    {
        int[] labels = TestData.Grouped(sizes);
        Matrix<double> features = TestData.Blobs<double>(new Random(seed), [[1.5, 0], [-0.8, 1.3], [-0.8, -1.3]], labels, spread: 1);
        return Dataset.ForClassification(features, labels, sizes.Length);
    }

    /// <summary>Two noisy linear targets of three inputs.</summary>
    private static Dataset<double> Regression(int seed, int count)
    {
        var random = new Random(seed);
        Matrix<double> x = TestData.GaussianMatrix(random, count, 3);
        Matrix<double> y = Matrix<double>.Build.Dense(count, 2, (i, j) => j == 0
            ? x[i, 0] - (2 * x[i, 1]) + (0.3 * TestData.Gaussian(random))
            : (0.5 * x[i, 2]) + 1 + (0.3 * TestData.Gaussian(random)));
        return Dataset.ForRegression(x, y);
    }

    private static Network<double> Classifier(int classes = 3) =>
        Network.Sequential<double>(2).Dense(5, Activation.Tanh).Dense(classes).Build(Loss.SoftmaxCrossEntropy, seed: 31);

    private static Network<double> Regressor() =>
        Network.Sequential<double>(3).Dense(4, Activation.Tanh).Dense(2).Build(Loss.MeanSquaredError, seed: 32);

    private static EpochRecord[] Timeless(TrainingHistory history) => [.. history.Epochs.Select(r => r with { Elapsed = TimeSpan.Zero })];

    [Fact]
    public void Classification_reports_validation_loss_and_accuracy_every_epoch()
    {
        Dataset<double> train = Blobs(901, 15, 15, 15);
        Dataset<double> validation = Blobs(902, 6, 7, 8);
        var options = new TrainingOptions { Epochs = 6, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(9), UpdateRule = new Adam(), Seed = 2 };
        Network<double> network = Classifier();

        TrainingHistory history = network.Fit(train, options, validation);

        history.Epochs.Should().OnlyContain(e => e.ValidationLoss != null && e.ValidationAccuracy != null && e.ValidationRSquared == null);
        EpochRecord last = history.Epochs[^1];
        last.ValidationLoss.Should().Be(network.ComputeLoss(validation.Features, validation.Targets));
        last.ValidationAccuracy.Should().Be(network.Accuracy(validation.Features, validation.Labels!));

        // By hand: cross-entropy is the mean of −log p(true class); accuracy counts the most probable class.
        Matrix<double> p = network.Predict(validation.Features);
        IReadOnlyList<int> labels = validation.Labels!;
        double crossEntropy = -Enumerable.Range(0, p.RowCount).Average(i => Math.Log(p[i, labels[i]]));
        double accuracy = Enumerable.Range(0, p.RowCount).Count(i => p.Row(i).MaximumIndex() == labels[i]) / (double)p.RowCount;
        last.ValidationLoss!.Value.Should().BeApproximately(crossEntropy, 1e-12);
        last.ValidationAccuracy.Should().Be(accuracy);
    }

    [Fact]
    public void Each_epochs_validation_loss_is_measured_after_that_epoch()
    {
        // A twin trained for exactly two epochs (same seed, so the same shuffles) has epoch 2's weights.
        Dataset<double> train = Blobs(903, 12, 12, 12);
        Dataset<double> validation = Blobs(904, 5, 5, 5);
        var options = new TrainingOptions { Epochs = 5, LearningRate = 0.1, GradientDescent = new MiniBatchGradientDescent(8), Seed = 3 };
        Network<double> twoEpochs = Classifier();
        twoEpochs.Fit(train, options with { Epochs = 2 }, validation);

        TrainingHistory history = Classifier().Fit(train, options, validation);

        history.Epochs[1].ValidationLoss.Should().Be(twoEpochs.ComputeLoss(validation.Features, validation.Targets));
        history.Epochs[1].ValidationAccuracy.Should().Be(twoEpochs.Accuracy(validation.Features, validation.Labels!));
        history.Epochs.Select(e => e.ValidationLoss).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Binary_classification_with_one_output_reports_thresholded_accuracy()
    {
        Dataset<double> train = Blobs(905, 14, 14);
        Dataset<double> validation = Blobs(906, 9, 6);
        Network<double> network = Network.Sequential<double>(2).Dense(4, Activation.Tanh).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 33);

        TrainingHistory history = network.Fit(train, new TrainingOptions { Epochs = 4, LearningRate = 0.2 }, validation);

        Matrix<double> p = network.Predict(validation.Features);
        double accuracy = Enumerable.Range(0, p.RowCount).Count(i => (p[i, 0] >= 0.5 ? 1 : 0) == validation.Labels![i]) / (double)p.RowCount;
        double crossEntropy = -Enumerable.Range(0, p.RowCount).Average(i => validation.Labels![i] == 1 ? Math.Log(p[i, 0]) : Math.Log(1 - p[i, 0]));
        history.Epochs[^1].ValidationAccuracy.Should().Be(accuracy);
        history.Epochs[^1].ValidationLoss!.Value.Should().BeApproximately(crossEntropy, 1e-12);
        history.Epochs.Should().OnlyContain(e => e.ValidationRSquared == null);
    }

    [Fact]
    public void Regression_reports_validation_loss_and_r_squared_every_epoch()
    {
        Dataset<double> train = Regression(907, 40);
        Dataset<double> validation = Regression(908, 15);
        Network<double> network = Regressor();

        TrainingHistory history = network.Fit(train, new TrainingOptions { Epochs = 8, LearningRate = 0.05, GradientDescent = new MiniBatchGradientDescent(10) }, validation);

        history.Epochs.Should().OnlyContain(e => e.ValidationLoss != null && e.ValidationRSquared != null && e.ValidationAccuracy == null);

        // By hand: loss (1/m)·Σ½‖ŷ − y‖²; R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², with ȳ the mean of each target column.
        Matrix<double> predicted = network.Predict(validation.Features);
        Matrix<double> y = validation.Targets;
        Matrix<double> residual = predicted - y;
        double loss = 0.5 * residual.PointwisePower(2).RowSums().Sum() / y.RowCount;
        double total = Enumerable.Range(0, y.ColumnCount).Sum(j => y.Column(j).Subtract(y.Column(j).Average()).PointwisePower(2).Sum());
        double rSquared = 1 - (residual.PointwisePower(2).RowSums().Sum() / total);
        EpochRecord last = history.Epochs[^1];
        last.ValidationLoss.Should().Be(network.ComputeLoss(validation.Features, validation.Targets));
        last.ValidationLoss!.Value.Should().BeApproximately(loss, 1e-12);
        last.ValidationRSquared!.Value.Should().BeApproximately(rSquared, 1e-12);
    }

    [Fact]
    public void Without_validation_data_no_validation_values_are_reported()
    {
        Dataset<double> train = Blobs(909, 5, 5, 5);

        TrainingHistory history = Classifier().Fit(train, new TrainingOptions { Epochs = 3 });

        history.Epochs.Should().OnlyContain(e => e.ValidationLoss == null && e.ValidationAccuracy == null && e.ValidationRSquared == null);
    }

    [Fact]
    public void ValidationFraction_holds_out_a_stratified_share_of_each_class()
    {
        // Classes of 6, 10 and 14 with a quarter held out: round(1.5) + round(2.5) + round(3.5) = 2 + 3 + 4 = 9 by
        // class, where an unstratified split would hold out round(7.5) = 8. SGD makes one update per training sample.
        Dataset<double> data = Blobs(910, 6, 10, 14);
        var options = new TrainingOptions { Epochs = 3, GradientDescent = new StochasticGradientDescent(), ValidationFraction = 0.25, Seed = 12 };
        Network<double> network = Classifier();

        TrainingHistory history = network.Fit(data.Features, data.Labels!, options);

        history.Epochs.Should().OnlyContain(e => e.Updates == 21);
        (_, Dataset<double> heldOut) = data.Split(0.25, options.Seed, stratify: true);
        heldOut.Labels!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()).Should().Equal(2, 3, 4);
        history.Epochs[^1].ValidationLoss.Should().Be(network.ComputeLoss(heldOut.Features, heldOut.Targets), "the held-out samples are the seeded split's");
        history.Epochs[^1].ValidationAccuracy.Should().Be(network.Accuracy(heldOut.Features, heldOut.Labels!));
    }

    [Fact]
    public void ValidationFraction_on_regression_holds_out_a_plain_share()
    {
        // 30 samples, a fifth held out: 6 for validation, 24 single-sample updates per epoch.
        Dataset<double> data = Regression(911, 30);

        TrainingHistory history = Regressor().Fit(data.Features, data.Targets, new TrainingOptions { Epochs = 2, GradientDescent = new StochasticGradientDescent(), ValidationFraction = 0.2 });

        history.Epochs.Should().OnlyContain(e => e.Updates == 24 && e.ValidationRSquared != null);
    }

    [Fact]
    public void ValidationFraction_is_reproducible_from_the_seed()
    {
        Dataset<double> data = Blobs(912, 10, 10, 10);
        var options = new TrainingOptions { Epochs = 3, GradientDescent = new MiniBatchGradientDescent(4), ValidationFraction = 0.3, Seed = 21 };

        TrainingHistory first = Classifier().Fit(data, options);
        TrainingHistory second = Classifier().Fit(data, options);
        TrainingHistory otherSeed = Classifier().Fit(data, options with { Seed = 22 });

        Timeless(second).Should().Equal(Timeless(first));
        otherSeed.Epochs[0].ValidationLoss.Should().NotBe(first.Epochs[0].ValidationLoss);
    }

    [Fact]
    public void Explicit_validation_data_takes_the_place_of_ValidationFraction()
    {
        Dataset<double> train = Blobs(913, 8, 8, 8);
        Dataset<double> validation = Blobs(914, 4, 4, 4);
        Network<double> network = Classifier();

        TrainingHistory history = network.Fit(train, new TrainingOptions { Epochs = 2, GradientDescent = new StochasticGradientDescent(), ValidationFraction = 0.5 }, validation);

        history.Epochs.Should().OnlyContain(e => e.Updates == 24, "nothing is held out of the training data");
        history.Epochs[^1].ValidationLoss.Should().Be(network.ComputeLoss(validation.Features, validation.Targets));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(double.NaN, "NaN")]
    public void A_ValidationFraction_outside_zero_to_one_is_rejected(double fraction, string shown)
    {
        Dataset<double> data = Blobs(915, 4, 4, 4);

        Action act = () => Classifier().Fit(data.Features, data.Labels!, new TrainingOptions { ValidationFraction = fraction });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*ValidationFraction must be in [0, 1), but got {shown}*");
    }

    [Fact]
    public void The_recorded_learning_rate_follows_a_step_schedule()
    {
        // 0.4 halved every two epochs: 0.4, 0.4, 0.2, 0.2, 0.1 (halving is exact in binary).
        Dataset<double> data = Blobs(916, 5, 5, 5);

        TrainingHistory history = Classifier().Fit(data, new TrainingOptions { Epochs = 5, LearningRate = 0.4, Schedule = LearningRateSchedule.Step(2, 0.5) });

        history.Epochs.Select(e => e.LearningRate).Should().Equal(0.4, 0.4, 0.2, 0.2, 0.1);
    }

    [Fact]
    public void The_recorded_learning_rate_follows_a_cosine_schedule()
    {
        // 1·(1 + cos(π(e − 1)/4))/2 for e = 1..4.
        Dataset<double> data = Blobs(917, 5, 5, 5);

        TrainingHistory history = Classifier().Fit(data, new TrainingOptions { Epochs = 4, LearningRate = 1, Schedule = LearningRateSchedule.Cosine() });

        history.Epochs.Select(e => e.LearningRate).Should().Equal(
            [1, 0.85355339059327373, 0.5, 0.14644660940672624], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Fact]
    public void The_scheduled_rate_is_the_one_each_epoch_steps_with()
    {
        // Plain batch descent keeps no state, so epoch 2 at the scheduled 0.1 is a second run at rate 0.1.
        Dataset<double> data = Blobs(918, 6, 6, 6);
        var descent = new BatchGradientDescent();
        Network<double> scheduled = Classifier();
        scheduled.Fit(data, new TrainingOptions { Epochs = 2, LearningRate = 0.2, GradientDescent = descent, Schedule = LearningRateSchedule.Step(1, 0.5) });
        Network<double> byHand = Classifier();
        byHand.Fit(data, new TrainingOptions { Epochs = 1, LearningRate = 0.2, GradientDescent = descent });
        byHand.Fit(data, new TrainingOptions { Epochs = 1, LearningRate = 0.1, GradientDescent = descent });

        for (int p = 0; p < byHand.Parameters.Count; p++)
        {
            scheduled.Parameters[p].Value.ToColumnMajorArray().Should().Equal(byHand.Parameters[p].Value.ToColumnMajorArray());
        }
    }

    /// <summary>
    /// Number formatting as in German: decimal comma, dot for thousands. The build uses invariant globalisation,
    /// so the real de-DE data is not available; these two separators are what matters for CSV.
    /// </summary>
    private static CultureInfo German()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    private static string[][] Cells(string csv) =>
        [.. csv.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(','))];

    private static double? Parse(string cell) => cell.Length == 0 ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void ShouldDescribe(string[][] rows, TrainingHistory history)
    {
        rows.Should().HaveCount(history.Epochs.Count + 1, "a header and one line per epoch");
        string.Join(',', rows[0]).Should().Be(Header);
        for (int i = 0; i < history.Epochs.Count; i++)
        {
            EpochRecord e = history.Epochs[i];
            string[] row = rows[i + 1];
            row.Should().HaveCount(8, $"line {i + 1} has one cell per column and no comma inside a number");
            int.Parse(row[0], CultureInfo.InvariantCulture).Should().Be(e.Epoch);
            Parse(row[1]).Should().Be(e.Loss);
            Parse(row[2]).Should().Be(e.ValidationLoss);
            Parse(row[3]).Should().Be(e.ValidationAccuracy);
            Parse(row[4]).Should().Be(e.ValidationRSquared);
            Parse(row[5]).Should().Be(e.LearningRate);
            int.Parse(row[6], CultureInfo.InvariantCulture).Should().Be(e.Updates);
            Parse(row[7]).Should().Be(e.Elapsed.TotalMilliseconds);
        }
    }

    [Fact]
    public void The_history_exports_as_invariant_csv_even_under_a_comma_decimal_culture()
    {
        Dataset<double> train = Blobs(919, 8, 8, 8);
        Dataset<double> validation = Blobs(920, 3, 3, 3);
        TrainingHistory history = Classifier().Fit(train, new TrainingOptions { Epochs = 4, LearningRate = 0.15, Schedule = LearningRateSchedule.Exponential(0.9) }, validation);
        CultureInfo original = CultureInfo.CurrentCulture;
        string csv;
        string written;
        try
        {
            CultureInfo.CurrentCulture = German();
            (0.5).ToString(CultureInfo.CurrentCulture).Should().Be("0,5", "the comma culture must really be in effect");
            csv = history.ToCsv();
            using var writer = new StringWriter(German());
            history.WriteCsv(writer);
            written = writer.ToString();
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        written.Should().Be(csv);
        string[][] rows = Cells(csv);
        ShouldDescribe(rows, history);
        rows.Skip(1).Should().OnlyContain(row => row[3].Length > 0 && row[4].Length == 0, "classification has accuracy but no R²");
    }

    [Fact]
    public void Absent_values_are_empty_cells()
    {
        TrainingHistory withoutValidation = Classifier().Fit(Blobs(921, 4, 4, 4), new TrainingOptions { Epochs = 2 });
        TrainingHistory regression = Regressor().Fit(Regression(922, 12), new TrainingOptions { Epochs = 2 }, Regression(923, 5));

        string[][] plain = Cells(withoutValidation.ToCsv());
        string[][] fitted = Cells(regression.ToCsv());

        ShouldDescribe(plain, withoutValidation);
        ShouldDescribe(fitted, regression);
        plain.Skip(1).Should().OnlyContain(row => row[2] == "" && row[3] == "" && row[4] == "");
        fitted.Skip(1).Should().OnlyContain(row => row[2] != "" && row[3] == "" && row[4] != "");
    }

    [Fact]
    public void Progress_receives_every_record_in_order()
    {
        var received = new List<EpochRecord>();
        Dataset<double> train = Blobs(924, 6, 6, 6);
        Dataset<double> validation = Blobs(925, 3, 3, 3);

        TrainingHistory history = Classifier().Fit(train, new TrainingOptions { Epochs = 7, Progress = new Callback<EpochRecord>(received.Add) }, validation);

        received.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        received.Should().Equal(history.Epochs);
    }

    [Fact]
    public void Progress_also_receives_the_epoch_that_triggers_early_stopping()
    {
        var received = new List<EpochRecord>();
        Dataset<double> train = Blobs(926, 6, 6, 6);
        Dataset<double> validation = Blobs(927, 3, 3, 3);

        // Patience 1 with a large rate: the first epoch without improvement ends the run.
        TrainingHistory history = Classifier().Fit(train, new TrainingOptions
        {
            Epochs = 200,
            LearningRate = 0.5,
            UpdateRule = new Adam(),
            EarlyStopping = new EarlyStopping(patience: 1),
            Progress = new Callback<EpochRecord>(received.Add),
        }, validation);

        history.StoppedEarly.Should().BeTrue();
        received.Should().Equal(history.Epochs);
    }

    /// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
