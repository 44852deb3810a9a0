using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Fit with the plain rule fuses the gradient into the update; the fused step must move every parameter exactly as
/// Backpropagate followed by Update does (up to rounding), for every layer and every batch size.
/// </summary>
public class FusedPlainStepTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void A_fused_plain_step_equals_backpropagate_then_update(int batchSize)
    {
        var random = new Random(31);
        Matrix<double> x = TestData.RandomMatrix(random, 12, 5);
        int[] labels = TestData.Interleaved(12, 3);
        Network<double> fused = NewNetwork();
        Network<double> reference = NewNetwork();

        // One epoch of batch descent is a single step on all samples in order, so both sides see the same batch.
        var options = new TrainingOptions { Epochs = 1, LearningRate = 0.3, GradientDescent = new BatchGradientDescent(), UpdateRule = new Plain() };
        Matrix<double> batch = x.SubMatrix(0, batchSize, 0, 5);
        int[] batchLabels = labels[..batchSize];
        fused.Fit(batch, batchLabels, options);

        reference.Backpropagate(batch, TestData.OneHot(batchLabels, 3));
        new ParameterUpdater<double>(new Plain(), reference.Parameters).Update(0.3);

        for (int p = 0; p < fused.Parameters.Count; p++)
        {
            double[] actual = fused.Parameters[p].Value.ToColumnMajorArray();
            double[] expected = reference.Parameters[p].Value.ToColumnMajorArray();
            for (int i = 0; i < actual.Length; i++)
            {
                actual[i].Should().BeApproximately(expected[i], 1e-14, "parameter {0} entry {1}", p, i);
            }
        }

        // The fused path never writes a gradient.
        fused.Parameters.Should().OnlyContain(parameter => parameter.Gradient.ToColumnMajorArray().All(g => g == 0));
    }

    [Fact]
    public void With_weight_decay_only_the_parameters_it_leaves_alone_are_fused()
    {
        // Weight decay changes the weights' gradient, so their step cannot fuse; the biases do not decay and still do.
        var random = new Random(32);
        Matrix<double> x = TestData.RandomMatrix(random, 12, 5);
        int[] labels = TestData.Interleaved(12, 3);
        Network<double> fitted = NewNetwork();
        Network<double> byHand = NewNetwork();
        var options = new TrainingOptions { Epochs = 1, LearningRate = 0.3, GradientDescent = new BatchGradientDescent(), UpdateRule = new Plain(), WeightDecay = 0.01 };

        fitted.Fit(x, labels, options);
        byHand.Backpropagate(x, TestData.OneHot(labels, 3));
        new ParameterUpdater<double>(new Plain(), byHand.Parameters, weightDecay: 0.01).Update(0.3);

        for (int p = 0; p < fitted.Parameters.Count; p++)
        {
            double[] actual = fitted.Parameters[p].Value.ToColumnMajorArray();
            double[] expected = byHand.Parameters[p].Value.ToColumnMajorArray();
            for (int i = 0; i < actual.Length; i++)
            {
                actual[i].Should().BeApproximately(expected[i], 1e-14, "parameter {0} entry {1}", p, i);
            }

            bool decays = fitted.Parameters[p].Decays;
            fitted.Parameters[p].Gradient.Enumerate().Any(g => g != 0).Should().Be(decays, "{0} {1} a fused step", fitted.Parameters[p], decays ? "did not take" : "took");
        }
    }

    private static Network<double> NewNetwork()
        => Network.Sequential<double>(5).Dense(6, Activation.Tanh).Dense(4, Activation.Relu).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 8);
}
