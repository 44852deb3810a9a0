using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Losses;

/// <summary>Proves every loss's value, gradient (with its 1/m) and output link against hand calculation and central differences.</summary>
public class LossGradientTests
{
    private const int Samples = 4;
    private const int Outputs = 3;

    // Each case names a loss and the kind of targets it is fed.
    public static TheoryData<string> Cases => new(
        "mse",
        "softmax_ce_one_hot",
        "softmax_ce_soft",
        "softmax_ce_unnormalised",
        "sigmoid_bce_binary",
        "sigmoid_bce_soft");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_differences_of_Compute(string lossCase)
    {
        var random = new Random(4242);
        (Loss loss, Matrix<double> output, Matrix<double> target) = Draw(lossCase, random, Samples);

        Matrix<double> analytic = loss.Gradient(output, target);
        Matrix<double> numerical = GradientCheck.Numerical(() => loss.Compute(output, target), output);

        GradientCheck.ShouldMatch(analytic, numerical, $"{lossCase} with respect to the output");
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_is_P_minus_Y_over_m_for_one_hot_targets()
    {
        var random = new Random(77);
        (_, Matrix<double> logits, Matrix<double> target) = Draw("softmax_ce_one_hot", random, 5);

        Matrix<double> gradient = Loss.SoftmaxCrossEntropy.Gradient(logits, target);

        Matrix<double> p = IndependentSoftmax(logits);
        Matrix<double> expected = (p - target) / logits.RowCount;
        for (int i = 0; i < logits.RowCount; i++)
        {
            for (int j = 0; j < logits.ColumnCount; j++)
            {
                gradient[i, j].Should().BeApproximately(expected[i, j], 1e-12, "(P − Y)/m at ({0}, {1})", i, j);
            }
        }
    }

    [Theory]
    [InlineData(0, 0.0)] // the 1000 logit is right: −log(1) = 0
    [InlineData(1, 2000.0)] // the −1000 logit is the target: log-sum-exp 1000 minus −1000
    [InlineData(2, 1000.0)] // the 0 logit is the target: 1000 − 0
    public void Softmax_cross_entropy_stays_finite_for_logits_of_plus_and_minus_1000(int targetClass, double expectedLoss)
    {
        Matrix<double> logits = Matrix<double>.Build.DenseOfArray(new double[,] { { 1000, -1000, 0 } });
        Matrix<double> target = TestData.OneHot([targetClass], 3);

        double loss = Loss.SoftmaxCrossEntropy.Compute(logits, target);
        Matrix<double> gradient = Loss.SoftmaxCrossEntropy.Gradient(logits, target);

        loss.Should().BeApproximately(expectedLoss, 1e-9);

        // P is exactly [1, 0, 0] in double (e^-1000 underflows), so the gradient is P − Y.
        double[] expectedGradient = [1.0 - target[0, 0], -target[0, 1], -target[0, 2]];
        for (int j = 0; j < 3; j++)
        {
            double.IsFinite(gradient[0, j]).Should().BeTrue("gradient entry {0} must be finite, but was {1}", j, gradient[0, j]);
            gradient[0, j].Should().BeApproximately(expectedGradient[j], 1e-12, "P − Y at column {0}", j);
        }
    }

    [Theory]
    [InlineData(1000.0, 1.0, 0.0, 0.0)] // confidently right: log(1 + e^-1000) = 0
    [InlineData(-1000.0, 0.0, 0.0, 0.0)]
    [InlineData(-1000.0, 1.0, 1000.0, -1.0)] // confidently wrong: log(1 + e^1000) = 1000 + log(1 + e^-1000)
    [InlineData(1000.0, 0.0, 1000.0, 1.0)]
    public void Sigmoid_binary_cross_entropy_stays_finite_for_logits_of_plus_and_minus_1000(double logit, double label, double expectedLoss, double expectedGradient)
    {
        Matrix<double> output = Matrix<double>.Build.Dense(1, 1, logit);
        Matrix<double> target = Matrix<double>.Build.Dense(1, 1, label);

        double loss = Loss.SigmoidBinaryCrossEntropy.Compute(output, target);
        double gradient = Loss.SigmoidBinaryCrossEntropy.Gradient(output, target)[0, 0];

        loss.Should().BeApproximately(expectedLoss, 1e-9);
        double.IsFinite(gradient).Should().BeTrue("the gradient must be finite, but was {0}", gradient);
        gradient.Should().BeApproximately(expectedGradient, 1e-12, "σ(z) − y with σ(±1000) = 1 or 0");
    }

    [Fact]
    public void Mean_squared_error_of_1_2_against_0_0_is_half_the_sum_of_squares()
    {
        // ½ (1² + 2²) = 2.5 for the single sample.
        Matrix<double> output = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } });
        Matrix<double> target = Matrix<double>.Build.Dense(1, 2);

        Loss.MeanSquaredError.Compute(output, target).Should().BeApproximately(2.5, 1e-15);
    }

    [Fact]
    public void Mean_squared_error_averages_over_samples_and_sums_over_outputs()
    {
        // Sample 1: ½ (1 + 4) = 2.5; sample 2: ½ (9 + 1) = 5; mean 3.75. Gradient (Z − Y)/2.
        Matrix<double> output = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 0 } });
        Matrix<double> target = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 } });

        Loss.MeanSquaredError.Compute(output, target).Should().BeApproximately(3.75, 1e-15);
        Loss.MeanSquaredError.Gradient(output, target).ToRowMajorArray().Should().Equal(0.5, 1.0, 1.5, -0.5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    public void Softmax_cross_entropy_of_uniform_logits_over_k_classes_is_ln_k(int k)
    {
        // Equal logits give p = 1/k for every class, so −log p = ln k whichever class is the target.
        Matrix<double> logits = Matrix<double>.Build.Dense(2, k, 0.7);
        Matrix<double> target = TestData.OneHot([0, k - 1], k);

        Loss.SoftmaxCrossEntropy.Compute(logits, target).Should().BeApproximately(Math.Log(k), 1e-14);
    }

    [Theory]
    [InlineData(2, 2.0)] // p = 3/6 = ½, −log ½ = ln 2
    [InlineData(0, 6.0)] // p = 1/6, −log(1/6) = ln 6
    public void Softmax_cross_entropy_of_logits_ln1_ln2_ln3_is_minus_log_of_the_targets_share(int targetClass, double inverseProbability)
    {
        Matrix<double> logits = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, Math.Log(2), Math.Log(3) } });
        Matrix<double> target = TestData.OneHot([targetClass], 3);

        Loss.SoftmaxCrossEntropy.Compute(logits, target).Should().BeApproximately(Math.Log(inverseProbability), 1e-14);
    }

    [Fact]
    public void Sigmoid_binary_cross_entropy_averages_over_every_output_of_every_sample_as_the_peers_do()
    {
        // Row 1: z = 0 gives σ = ½ and a loss of ln 2 per output whatever the label.
        // Row 2: σ(ln 3) = ¾, so −log ¾ = ln(4/3) for label 1 and −log ¼ = ln 4 for label 0.
        // PyTorch's BCEWithLogitsLoss and Keras' BinaryCrossentropy(from_logits=True) take the mean over all 4 values.
        Matrix<double> output = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 0.0 }, { Math.Log(3), Math.Log(3) } });
        Matrix<double> target = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 1, 0 } });
        double expected = ((2 * Math.Log(2)) + Math.Log(4.0 / 3) + Math.Log(4)) / 4;

        Loss.SigmoidBinaryCrossEntropy.Compute(output, target).Should().BeApproximately(expected, 1e-14);

        // The gradient carries the same 1/(m·k): (σ(z) − y)/4.
        double[,] gradient = Loss.SigmoidBinaryCrossEntropy.Gradient(output, target).ToArray();
        gradient.Should().BeEquivalentTo(new[,] { { (0.5 - 1) / 4, 0.5 / 4 }, { (0.75 - 1) / 4, 0.75 / 4 } }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
    }

    [Fact]
    public void Transform_is_softmax_for_softmax_cross_entropy()
    {
        Matrix<double> logits = TestData.RandomMatrix(new Random(5), 3, 4, limit: 3);

        Matrix<double> predictions = Loss.SoftmaxCrossEntropy.Transform(logits);

        AssertClose(predictions, IndependentSoftmax(logits), 1e-15, "softmax of each row");
    }

    [Fact]
    public void Transform_is_the_logistic_function_for_sigmoid_binary_cross_entropy()
    {
        Matrix<double> logits = TestData.RandomMatrix(new Random(6), 3, 4, limit: 3);

        Matrix<double> predictions = Loss.SigmoidBinaryCrossEntropy.Transform(logits);

        AssertClose(predictions, logits.Map(z => 1 / (1 + Math.Exp(-z))), 1e-15, "1 / (1 + e^-z)");
    }

    [Fact]
    public void Transform_is_the_identity_for_mean_squared_error_and_returns_a_new_matrix()
    {
        Matrix<double> output = TestData.RandomMatrix(new Random(8), 3, 4, limit: 3);
        Matrix<double> original = output.Clone();

        Matrix<double> predictions = Loss.MeanSquaredError.Transform(output);

        AssertClose(predictions, original, 0, "regression predictions are the raw outputs");
        predictions[0, 0] += 1;
        output[0, 0].Should().Be(original[0, 0], "writing to the predictions must not change the network's output");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Duplicating_every_row_keeps_the_loss_and_halves_each_rows_gradient(string lossCase)
    {
        // The loss is a mean over rows and its gradient carries 1/m, so twice the rows means half the gradient per row.
        var random = new Random(31337);
        (Loss loss, Matrix<double> output, Matrix<double> target) = Draw(lossCase, random, 3);
        Matrix<double> doubledOutput = output.Stack(output);
        Matrix<double> doubledTarget = target.Stack(target);

        double single = loss.Compute(output, target);
        double doubled = loss.Compute(doubledOutput, doubledTarget);
        Matrix<double> gradient = loss.Gradient(output, target);
        Matrix<double> doubledGradient = loss.Gradient(doubledOutput, doubledTarget);

        doubled.Should().BeApproximately(single, 1e-14);
        AssertClose(doubledGradient.SubMatrix(0, 3, 0, Outputs), gradient / 2, 1e-15, "the first copy's gradient");
        AssertClose(doubledGradient.SubMatrix(3, 3, 0, Outputs), gradient / 2, 1e-15, "the second copy's gradient");
    }

    /// <summary>A loss with raw outputs and targets of the kind its case names, <paramref name="rows"/> × <see cref="Outputs"/>.</summary>
    private static (Loss Loss, Matrix<double> Output, Matrix<double> Target) Draw(string lossCase, Random random, int rows)
    {
        Matrix<double> output = TestData.RandomMatrix(random, rows, Outputs, limit: 2);
        Matrix<double> unit = TestData.RandomMatrix(random, rows, Outputs).Map(value => (value + 1) / 2);
        switch (lossCase)
        {
            case "mse":
                return (Loss.MeanSquaredError, output, TestData.RandomMatrix(random, rows, Outputs, limit: 2));
            case "softmax_ce_one_hot":
                return (Loss.SoftmaxCrossEntropy, output, TestData.RandomOneHot(random, rows, Outputs));
            case "softmax_ce_soft":
                // Probability vectors: positive entries normalised per row.
                Matrix<double> positive = unit + 0.1;
                return (Loss.SoftmaxCrossEntropy, output, Matrix<double>.Build.Dense(rows, Outputs, (i, j) => positive[i, j] / positive.Row(i).Sum()));
            case "softmax_ce_unnormalised":
                // Rows that do not sum to 1: the gradient must be P·Σy − Y, not P − Y.
                return (Loss.SoftmaxCrossEntropy, output, unit * 2);
            case "sigmoid_bce_binary":
                return (Loss.SigmoidBinaryCrossEntropy, output, unit.Map(value => value < 0.5 ? 0.0 : 1.0));
            case "sigmoid_bce_soft":
                return (Loss.SigmoidBinaryCrossEntropy, output, unit);
            default:
                throw new ArgumentOutOfRangeException(nameof(lossCase), lossCase, "Expected a known loss case.");
        }
    }

    /// <summary>Softmax of each row, written out in the test: e^(z − max) normalised.</summary>
    private static Matrix<double> IndependentSoftmax(Matrix<double> z)
    {
        var p = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        for (int i = 0; i < z.RowCount; i++)
        {
            double max = z.Row(i).Maximum();
            Vector<double> e = z.Row(i).Map(value => Math.Exp(value - max));
            p.SetRow(i, e / e.Sum());
        }

        return p;
    }

    private static void AssertClose(Matrix<double> actual, Matrix<double> expected, double tolerance, string because)
    {
        actual.RowCount.Should().Be(expected.RowCount, because);
        actual.ColumnCount.Should().Be(expected.ColumnCount, because);
        for (int i = 0; i < actual.RowCount; i++)
        {
            for (int j = 0; j < actual.ColumnCount; j++)
            {
                actual[i, j].Should().BeApproximately(expected[i, j], tolerance, "{0} (entry {1}, {2})", because, i, j);
            }
        }
    }
}
